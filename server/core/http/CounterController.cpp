#include "CounterController.h"

#include "Access.h"
#include "ChannelHub.h"
#include "Clock.h"
#include "HoldService.h"
#include "HttpReply.h"
#include "Protocol.h"
#include "RequestBodies.h"
#include "Router.h"
#include "Storage.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>
#include <algorithm>

namespace Marquee {

namespace {
using GuardedSale = Guarded<CounterSaleService::Outcome>;
using Status = SaleService::Outcome::Status;
} // namespace

CounterController::CounterController(Router &router, Storage &storage, ChannelHub &hub)
    : m_storage(storage)
    , m_hub(hub)
{
    router.add(QHttpServerRequest::Method::Post, QStringLiteral("/api/v1/counter/sales"),
        [this](const HttpRequest &request, HttpReply reply) { sell(request, std::move(reply)); });
    router.add(QHttpServerRequest::Method::Get, QStringLiteral("/api/v1/counter/events/{}/held"),
        [this](
            const HttpRequest &request, HttpReply reply) { heldUntil(request, std::move(reply)); });
}

void CounterController::heldUntil(const HttpRequest &request, HttpReply reply)
{
    const QString event = request.args.at(0);
    const QStringList seats = QUrlQuery(request.raw.url())
                                  .queryItemValue(QStringLiteral("seats"), QUrl::FullyDecoded)
                                  .split(u',', Qt::SkipEmptyParts);
    // As many as a hold takes, or a few more: the counter asks about one
    // seat under the pointer or about the seats a typed entry could not get.
    constexpr qsizetype MaxSeats = 20;
    if (!Protocol::isValidSlug(event) || seats.isEmpty() || seats.size() > MaxSeats
        || !std::all_of(seats.cbegin(), seats.cend(), &Protocol::isValidSeatLabel))
        return reply.error(400, QStringLiteral("bad_request"),
            QStringLiteral("Name 1 to %1 seats: ?seats=A1,A2.").arg(MaxSeats));
    const QString token = request.bearer();
    m_storage.run<Guarded<QHash<QString, QDateTime>>>(
        [event, seats, token](StorageSession &s) -> Guarded<QHash<QString, QDateTime>> {
            const Authorized access = authorize(s.db, s.clock, token, Permission::Sell);
            if (!access.allowed())
                return {access};
            return {access, HoldService(s.db, s.clock, HoldRules{}).heldUntil(event, seats)};
        },
        [reply](std::optional<Guarded<QHash<QString, QDateTime>>> result,
            const QString &error) mutable {
            if (!result)
                return reply.storageFailed(error);
            if (!result->access.allowed())
                return refuse(reply, result->access.verdict, QStringLiteral("a clerk's session"));
            QJsonObject held;
            for (auto it = result->outcome.cbegin(); it != result->outcome.cend(); ++it)
                held.insert(it.key(), isoUtc(it.value()));
            reply.json(200, QJsonObject{{QStringLiteral("seats"), held}});
        });
}

void CounterController::sell(const HttpRequest &request, HttpReply reply)
{
    QString problem;
    const auto sale = RequestBodies::counterSale(
        request.header(QByteArrayLiteral("idempotency-key")), request.raw.body(), &problem);
    if (!sale)
        return reply.error(400, QStringLiteral("bad_request"), problem);
    const QString token = request.bearer();
    const QString address = request.client.toString();
    m_storage.run<GuardedSale>(
        [sale = *sale, token, address](StorageSession &s) -> GuardedSale {
            const Authorized access = authorize(s.db, s.clock, token, Permission::Sell);
            if (!access.allowed())
                return {access};
            return {access,
                CounterSaleService(s.db, s.clock, {access.who.actor(), address}).sell(sale)};
        },
        [this, reply](std::optional<GuardedSale> result, const QString &error) mutable {
            if (!result)
                return reply.storageFailed(error);
            if (!result->access.allowed())
                return refuse(reply, result->access.verdict, QStringLiteral("a clerk's session"));
            m_hub.publish(result->outcome.sale.changes);
            answer(reply, result->outcome);
        });
}

void CounterController::answer(HttpReply &reply, const CounterSaleService::Outcome &outcome)
{
    if (outcome.keyReused)
        return reply.error(422, QStringLiteral("idempotency_mismatch"),
            QStringLiteral("This idempotency key was used for another sale."));
    const SaleService::Outcome &sale = outcome.sale;
    switch (sale.status) {
    case Status::HoldLost:
        return reply.error(409, QStringLiteral("hold_lost"),
            QStringLiteral("Some holds of this sale ran out; nothing was sold."),
            {{QStringLiteral("holds"), QJsonArray::fromStringList(sale.lostHolds)}});
    case Status::NothingToSell:
        return reply.error(
            409, QStringLiteral("conflict"), QStringLiteral("The cart has no live hold to sell."));
    case Status::MixedCurrencies:
        return reply.error(
            409, QStringLiteral("conflict"), QStringLiteral("A sale cannot mix currencies."));
    case Status::Sold:
        break;
    }
    reply.json(201,
        QJsonObject{{QStringLiteral("order"), sale.order},
            {QStringLiteral("state"), QStringLiteral("paid")},
            {QStringLiteral("payment"), QStringLiteral("cash")},
            {QStringLiteral("total"), sale.total}, {QStringLiteral("currency"), sale.currency},
            {QStringLiteral("tickets"), SaleService::ticketsJson(sale.tickets)},
            {QStringLiteral("replayed"), outcome.replayed}});
}

} // namespace Marquee
