#include "OrdersController.h"

#include "Access.h"
#include "ChannelHub.h"
#include "HttpReply.h"
#include "Router.h"
#include "StaffTokens.h"
#include "Storage.h"

#include <QJsonObject>

namespace Marquee {

namespace {

using Status = OrderService::Outcome::Status;
/// nullopt when the caller may not see the order; inside, nullopt for no such order.
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
    using Method = QHttpServerRequest::Method;
    router.add(Method::Get, QStringLiteral("/api/v1/orders/{}"),
        [this](const HttpRequest &request, HttpReply reply) { show(request, std::move(reply)); });
    router.add(Method::Post, QStringLiteral("/api/v1/orders/{}/refund"),
        [this](const HttpRequest &request, HttpReply reply) { refund(request, std::move(reply)); });
    router.add(Method::Post, QStringLiteral("/api/v1/orders/{}/void"),
        [this](const HttpRequest &request, HttpReply reply) {
            voidPending(request, std::move(reply));
        });
}

void OrdersController::show(const HttpRequest &request, HttpReply reply)
{
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
}

void OrdersController::refund(const HttpRequest &request, HttpReply reply)
{
    asManager(request, std::move(reply),
        [](const OrderService &orders, const QString &order) { return orders.refund(order); });
}

void OrdersController::voidPending(const HttpRequest &request, HttpReply reply)
{
    asManager(request, std::move(reply),
        [](const OrderService &orders, const QString &order) { return orders.voidPending(order); });
}

void OrdersController::asManager(const HttpRequest &request, HttpReply reply, Change change)
{
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
            return {0, change(OrderService(s.db, s.clock), orderId)};
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
            m_hub.publish(result->second.changes);
            answerChange(reply, orderId, result->second);
        });
}

void OrdersController::answerChange(
    HttpReply &reply, const QString &orderId, const OrderService::Outcome &outcome)
{
    switch (outcome.status) {
    case Status::Done:
        return reply.json(200,
            QJsonObject{
                {QStringLiteral("order"), orderId}, {QStringLiteral("state"), outcome.state}});
    case Status::WrongState:
        return reply.error(409, QStringLiteral("conflict"),
            QStringLiteral("The order is %1.").arg(outcome.state),
            {{QStringLiteral("state"), outcome.state}});
    case Status::UnknownOrder:
        break;
    }
    reply.error(404, QStringLiteral("not_found"), QStringLiteral("No such order."));
}

} // namespace Marquee
