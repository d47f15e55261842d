#include "CheckInController.h"

#include "Access.h"
#include "Clock.h"
#include "HttpReply.h"
#include "RequestBodies.h"
#include "Router.h"
#include "Storage.h"

#include <QJsonObject>

namespace Marquee {

namespace {

using Result = CheckInService::Outcome::Result;
using GuardedScan = Guarded<CheckInService::Outcome>;
using GuardedCounts = Guarded<std::optional<CheckInService::Counts>>;

QJsonObject ticketJson(const CheckInService::Outcome &outcome)
{
    const SaleService::Ticket &t = outcome.ticket;
    QJsonObject object = SaleService::ticketsJson({t}).first().toObject();
    object.insert(QStringLiteral("order"), outcome.order);
    object.insert(QStringLiteral("buyer"), outcome.buyer);
    return object;
}

} // namespace

CheckInController::CheckInController(Router &router, Storage &storage)
    : m_storage(storage)
{
    using Method = QHttpServerRequest::Method;
    router.add(Method::Post, QStringLiteral("/api/v1/checkin"),
        [this](
            const HttpRequest &request, HttpReply reply) { checkIn(request, std::move(reply)); });
    router.add(Method::Get, QStringLiteral("/api/v1/events/{}/checkins"),
        [this](const HttpRequest &request, HttpReply reply) { counts(request, std::move(reply)); });
}

void CheckInController::checkIn(const HttpRequest &request, HttpReply reply)
{
    QString problem;
    const auto scan = RequestBodies::checkIn(request.raw.body(), &problem);
    if (!scan)
        return reply.error(400, QStringLiteral("bad_request"), problem);
    const QString key = QString::fromLatin1(request.header(QByteArrayLiteral("idempotency-key")));
    if (key.size() > 128)
        return reply.error(400, QStringLiteral("bad_request"),
            QStringLiteral("An Idempotency-Key has at most 128 characters."));
    const QString token = request.bearer();
    const QString address = request.client.toString();
    m_storage.run<GuardedScan>(
        [token, address, key, scan = *scan](StorageSession &s) -> GuardedScan {
            const Authorized access = authorize(s.db, s.clock, token, Permission::CheckIn);
            if (!access.allowed())
                return {access};
            return {access,
                CheckInService(s.db, s.clock, {access.who.actor(), address})
                    .checkIn(scan.code, scan.event, key)};
        },
        [reply](std::optional<GuardedScan> result, const QString &error) mutable {
            if (!result)
                return reply.storageFailed(error);
            if (!result->access.allowed())
                return refuse(reply, result->access.verdict,
                    QStringLiteral("a staff session or a scanner's credential"));
            answer(reply, result->outcome);
        });
}

void CheckInController::answer(HttpReply &reply, const CheckInService::Outcome &outcome)
{
    const QJsonObject ticket = ticketJson(outcome);
    switch (outcome.result) {
    case Result::Ok:
        return reply.json(200,
            QJsonObject{{QStringLiteral("result"), QStringLiteral("ok")},
                {QStringLiteral("ticket"), ticket}});
    case Result::AlreadyRedeemed:
        return reply.error(409, QStringLiteral("already_redeemed"),
            QStringLiteral("This ticket was checked in already."),
            {{QStringLiteral("at"), isoUtc(outcome.at)}, {QStringLiteral("ticket"), ticket}});
    case Result::Revoked:
        return reply.error(409, QStringLiteral("revoked"),
            QStringLiteral("This ticket was refunded or replaced."),
            {{QStringLiteral("ticket"), ticket}});
    case Result::WrongEvent:
        return reply.error(409, QStringLiteral("wrong_event"),
            QStringLiteral("This ticket is for another event."),
            {{QStringLiteral("event"), outcome.ticket.event},
                {QStringLiteral("eventName"), outcome.ticket.details->eventName},
                {QStringLiteral("ticket"), ticket}});
    case Result::KeyReused:
        return reply.error(422, QStringLiteral("idempotency_mismatch"),
            QStringLiteral("This idempotency key came with another ticket."));
    case Result::Unknown:
        break;
    }
    reply.error(404, QStringLiteral("not_found"), QStringLiteral("No ticket has this code."));
}

void CheckInController::counts(const HttpRequest &request, HttpReply reply)
{
    const QString event = request.args.at(0);
    const QString token = request.bearer();
    m_storage.run<GuardedCounts>(
        [token, event](StorageSession &s) -> GuardedCounts {
            const Authorized access = authorize(s.db, s.clock, token, Permission::CheckIn);
            if (!access.allowed())
                return {access};
            return {access, CheckInService(s.db, s.clock, {}).counts(event)};
        },
        [reply, event](std::optional<GuardedCounts> result, const QString &error) mutable {
            if (!result)
                return reply.storageFailed(error);
            if (!result->access.allowed())
                return refuse(reply, result->access.verdict,
                    QStringLiteral("a staff session or a scanner's credential"));
            if (!result->outcome)
                return reply.error(
                    404, QStringLiteral("not_found"), QStringLiteral("No such event."));
            reply.json(200,
                QJsonObject{{QStringLiteral("event"), event},
                    {QStringLiteral("entered"), result->outcome->entered},
                    {QStringLiteral("sold"), result->outcome->sold}});
        });
}

} // namespace Marquee
