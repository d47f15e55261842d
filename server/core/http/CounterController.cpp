#include "CounterController.h"

#include "Access.h"
#include "ChannelHub.h"
#include "HttpReply.h"
#include "Router.h"
#include "Storage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace Marquee {

namespace {
using GuardedSale = Guarded<CounterSaleService::Outcome>;
using Status = SaleService::Outcome::Status;
constexpr qsizetype MaxKeyLength = 128;
} // namespace

CounterController::CounterController(Router &router, Storage &storage, ChannelHub &hub)
    : m_storage(storage)
    , m_hub(hub)
{
    router.add(QHttpServerRequest::Method::Post, QStringLiteral("/api/v1/counter/sales"),
        [this](const HttpRequest &request, HttpReply reply) { sell(request, std::move(reply)); });
}

std::optional<CounterSaleService::Request> CounterController::readSale(
    const HttpRequest &request, HttpReply &reply)
{
    const auto refuse = [&reply](const QString &message) {
        reply.error(400, QStringLiteral("bad_request"), message);
        return std::nullopt;
    };
    CounterSaleService::Request sale;
    sale.key = QString::fromLatin1(request.header(QByteArrayLiteral("idempotency-key")));
    if (sale.key.isEmpty() || sale.key.size() > MaxKeyLength)
        return refuse(QStringLiteral("A sale needs an Idempotency-Key header (1–128 characters),"
                                     " the same for every retry of that sale."));
    const QJsonObject body = QJsonDocument::fromJson(request.raw.body()).object();
    sale.cart = body.value(QLatin1String("cart")).toString();
    sale.payment = body.value(QLatin1String("payment")).toString();
    if (sale.cart.isEmpty() || sale.cart.size() > 64)
        return refuse(QStringLiteral("\"cart\" must name a cart."));
    if (sale.payment != QLatin1String("cash"))
        return refuse(QStringLiteral("\"payment\" must be \"cash\"."));
    // The holds the clerk sees in the sale; optional for old clients.
    const QJsonValue holds = body.value(QLatin1String("holds"));
    if (holds.isUndefined())
        return sale;
    const QJsonArray list = holds.toArray();
    if (!holds.isArray() || list.isEmpty() || list.size() > 10)
        return refuse(QStringLiteral("\"holds\" must list the sale's holds (at most 10)."));
    QSet<QString> seen;
    for (const QJsonValue &hold : list) {
        if (!hold.isString() || hold.toString().isEmpty() || hold.toString().size() > 64)
            return refuse(QStringLiteral("\"holds\" must list hold ids."));
        if (seen.contains(hold.toString()))
            return refuse(QStringLiteral("\"holds\" names %1 twice.").arg(hold.toString()));
        seen.insert(hold.toString());
        sale.holds.append(hold.toString());
    }
    return sale;
}

void CounterController::sell(const HttpRequest &request, HttpReply reply)
{
    const auto sale = readSale(request, reply);
    if (!sale)
        return;
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
