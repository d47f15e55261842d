#include "CounterController.h"

#include "Access.h"
#include "ChannelHub.h"
#include "HttpReply.h"
#include "RequestBodies.h"
#include "Router.h"
#include "Storage.h"

#include <QJsonArray>
#include <QJsonObject>

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
