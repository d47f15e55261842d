#include "OrdersController.h"

#include "Access.h"
#include "ChannelHub.h"
#include "OrderService.h"
#include "Router.h"
#include "StaffTokens.h"
#include "Storage.h"

#include <QJsonObject>

namespace Marquee {

namespace {

using Status = OrderService::Outcome::Status;
using AuthorizedOrder = std::optional<std::optional<OrderService::Order>>;
/// 0, or the HTTP status refusing the caller; and what was done.
using AuthorizedChange = std::pair<int, OrderService::Outcome>;

QJsonObject orderJson(const OrderService::Order &order)
{
    QJsonObject object{{QStringLiteral("order"), order.id}, {QStringLiteral("state"), order.state},
        {QStringLiteral("channel"), order.channel}, {QStringLiteral("total"), order.total},
        {QStringLiteral("currency"), order.currency},
        {QStringLiteral("createdAt"), order.createdAt},
        {QStringLiteral("tickets"), SaleService::ticketsJson(order.tickets)}};
    if (!order.payment.isEmpty()) {
        object.insert(QStringLiteral("payment"),
            QJsonObject{{QStringLiteral("id"), order.payment},
                {QStringLiteral("state"), order.paymentState}});
    }
    return object;
}

} // namespace

OrdersController::OrdersController(Router &router, Storage &storage, ChannelHub &hub)
    : m_storage(storage)
    , m_hub(hub)
{
    registerRoutes(router);
}

void OrdersController::registerRoutes(Router &router)
{
    using Method = QHttpServerRequest::Method;

    router.add(Method::Get, QStringLiteral("/api/v1/orders/{}"),
        [this](const HttpRequest &request, HttpReply reply) {
            const QString orderId = request.args.at(0);
            const QString token = request.bearer();
            m_storage.run<AuthorizedOrder>(
                [=](StorageSession &s) -> AuthorizedOrder {
                    auto order = OrderService(s.db, s.clock).find(orderId);
                    // An unknown order and a foreign one look the same: 404 would
                    // tell a guesser which ids exist.
                    if (!staffOrCartOwner(s.db, s.clock, order ? order->cart : QString(), token))
                        return std::nullopt;
                    return order;
                },
                [reply](std::optional<AuthorizedOrder> result, const QString &error) mutable {
                    if (!result)
                        return reply.storageFailed(error);
                    if (!*result)
                        return reply.error(401, QStringLiteral("unauthorized"),
                            QStringLiteral("This call needs the cart's token or a staff token."));
                    if (!**result)
                        return reply.error(
                            404, QStringLiteral("not_found"), QStringLiteral("No such order."));
                    reply.json(200, orderJson(***result));
                });
        });

    // Refund (paid orders) and void (pending orders) are staff actions.
    const auto staffAction = [this](bool refund) {
        return [this, refund](const HttpRequest &request, HttpReply reply) {
            const QString orderId = request.args.at(0);
            const QString token = request.bearer();
            m_storage.run<AuthorizedChange>(
                [=](StorageSession &s) -> AuthorizedChange {
                    // Money goes back: a manager's decision, not a clerk's.
                    const auto role = StaffTokens(s.db, s.clock).roleOf(token);
                    if (!role)
                        return {401, {}};
                    if (*role < StaffTokens::Role::Manager)
                        return {403, {}};
                    const OrderService orders(s.db, s.clock);
                    return {0, refund ? orders.refund(orderId) : orders.voidPending(orderId)};
                },
                [this, reply, orderId](
                    std::optional<AuthorizedChange> result, const QString &error) mutable {
                    if (!result)
                        return reply.storageFailed(error);
                    if (result->first == 401)
                        return reply.error(401, QStringLiteral("unauthorized"),
                            QStringLiteral("This call needs a manager's staff token."));
                    if (result->first == 403)
                        return reply.error(403, QStringLiteral("forbidden"),
                            QStringLiteral("Refunds and voids need a manager's staff token."));
                    const OrderService::Outcome &outcome = result->second;
                    m_hub.publish(outcome.changes);
                    switch (outcome.status) {
                    case Status::Done:
                        return reply.json(200,
                            QJsonObject{{QStringLiteral("order"), orderId},
                                {QStringLiteral("state"), outcome.state}});
                    case Status::WrongState:
                        return reply.error(409, QStringLiteral("conflict"),
                            QStringLiteral("The order is %1.").arg(outcome.state),
                            {{QStringLiteral("state"), outcome.state}});
                    case Status::UnknownOrder:
                        break;
                    }
                    reply.error(404, QStringLiteral("not_found"), QStringLiteral("No such order."));
                });
        };
    };
    router.add(Method::Post, QStringLiteral("/api/v1/orders/{}/refund"), staffAction(true));
    router.add(Method::Post, QStringLiteral("/api/v1/orders/{}/void"), staffAction(false));
}

} // namespace Marquee
