#include "CounterController.h"

#include "ChannelHub.h"
#include "Protocol.h"
#include "Router.h"
#include "SaleService.h"
#include "StaffTokens.h"
#include "Storage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Marquee {

namespace {
using Authorized = std::optional<SaleService::Outcome>;
using Status = SaleService::Outcome::Status;
} // namespace

CounterController::CounterController(Router &router, Storage &storage, ChannelHub &hub)
    : m_storage(storage)
    , m_hub(hub)
{
    registerRoutes(router);
}

void CounterController::registerRoutes(Router &router)
{
    router.add(QHttpServerRequest::Method::Post, QStringLiteral("/api/v1/counter/sales"),
        [this](const HttpRequest &request, HttpReply reply) {
            const QJsonObject body = QJsonDocument::fromJson(request.raw.body()).object();
            const QString cartId = body.value(QLatin1String("cart")).toString();
            const QString payment = body.value(QLatin1String("payment")).toString();
            if (cartId.isEmpty() || cartId.size() > 64)
                return reply.error(400, QStringLiteral("bad_request"),
                    QStringLiteral("\"cart\" must name a cart."));
            if (payment != QLatin1String("cash"))
                return reply.error(400, QStringLiteral("bad_request"),
                    QStringLiteral("\"payment\" must be \"cash\"."));
            // The holds the clerk sees in the sale; optional for old clients.
            QStringList expected;
            const QJsonValue holds = body.value(QLatin1String("holds"));
            if (!holds.isUndefined()) {
                const QJsonArray list = holds.toArray();
                if (!holds.isArray() || list.isEmpty() || list.size() > 10)
                    return reply.error(400, QStringLiteral("bad_request"),
                        QStringLiteral("\"holds\" must list the sale's holds (at most 10)."));
                for (const QJsonValue &hold : list) {
                    if (!hold.isString() || hold.toString().size() > 64)
                        return reply.error(400, QStringLiteral("bad_request"),
                            QStringLiteral("\"holds\" must list hold ids."));
                    expected.append(hold.toString());
                }
            }
            const QString token = request.bearer();
            m_storage.run<Authorized>(
                [=](StorageSession &s) -> Authorized {
                    if (!StaffTokens(s.db, s.clock).verify(token))
                        return std::nullopt;
                    return SaleService(s.db, s.clock)
                        .sellCart(cartId, QStringLiteral("counter"), payment, expected);
                },
                [this, reply, payment](
                    std::optional<Authorized> result, const QString &error) mutable {
                    if (!result)
                        return reply.storageFailed(error);
                    if (!*result)
                        return reply.error(401, QStringLiteral("unauthorized"),
                            QStringLiteral("This call needs a staff token."));
                    const SaleService::Outcome &sale = **result;
                    m_hub.publish(sale.changes);
                    if (sale.status == Status::HoldLost)
                        return reply.error(409, QStringLiteral("hold_lost"),
                            QStringLiteral("Some holds of this sale ran out; nothing was sold."),
                            {{QStringLiteral("holds"),
                                QJsonArray::fromStringList(sale.lostHolds)}});
                    if (sale.status == Status::NothingToSell)
                        return reply.error(409, QStringLiteral("conflict"),
                            QStringLiteral("The cart has no live hold to sell."));
                    if (sale.status == Status::MixedCurrencies)
                        return reply.error(409, QStringLiteral("conflict"),
                            QStringLiteral("A sale cannot mix currencies."));
                    reply.json(201,
                        QJsonObject{{QStringLiteral("order"), sale.order},
                            {QStringLiteral("state"), QStringLiteral("paid")},
                            {QStringLiteral("payment"), payment},
                            {QStringLiteral("total"), sale.total},
                            {QStringLiteral("currency"), sale.currency},
                            {QStringLiteral("tickets"), SaleService::ticketsJson(sale.tickets)}});
                });
        });
}

} // namespace Marquee
