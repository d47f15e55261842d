#include "OrdersController.h"

#include "Access.h"
#include "ChannelHub.h"
#include "HttpReply.h"
#include "PaymentSetup.h"
#include "QrCode.h"
#include "Router.h"
#include "Storage.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

namespace Marquee {

namespace {

using Status = OrderService::Outcome::Status;
/// nullopt when the caller may not see the order; inside, nullopt for no such order.
using AuthorizedOrder = std::optional<std::optional<OrderService::Order>>;
using GuardedChange = Guarded<OrderService::Outcome>;

/// The tickets, each valid one with its QR code as SVG for the order page.
QJsonArray ticketsWithCodes(const OrderService::Order &order)
{
    QJsonArray tickets = SaleService::ticketsJson(order.tickets);
    for (qsizetype i = 0; i < tickets.size(); ++i) {
        const SaleService::Ticket &ticket = order.tickets.at(i);
        if (ticket.code.isEmpty() || !ticket.details
            || ticket.details->state != QLatin1String("valid"))
            continue;
        if (const auto qr = QrCode::encode(ticket.code.toLatin1())) {
            QJsonObject object = tickets.at(i).toObject();
            object.insert(QStringLiteral("qr"), QString::fromUtf8(qr->toSvg(4, 4)));
            tickets.replace(i, object);
        }
    }
    return tickets;
}

QJsonObject orderJson(const OrderService::Order &order)
{
    QJsonObject object{{QStringLiteral("order"), order.id}, {QStringLiteral("state"), order.state},
        {QStringLiteral("channel"), order.channel}, {QStringLiteral("total"), order.total},
        {QStringLiteral("currency"), order.currency},
        {QStringLiteral("createdAt"), order.createdAt},
        {QStringLiteral("tickets"), ticketsWithCodes(order)}};
    if (!order.buyerName.isEmpty())
        object.insert(QStringLiteral("buyer"), order.buyerName);
    if (!order.payment.isEmpty()) {
        object.insert(QStringLiteral("payment"),
            QJsonObject{{QStringLiteral("id"), order.payment},
                {QStringLiteral("state"), order.paymentState}});
    }
    return object;
}

} // namespace

OrdersController::OrdersController(Router &router, Storage &storage, ChannelHub &hub,
    const PaymentSetup &payments, qint64 clerkRefundLimit)
    : m_storage(storage)
    , m_hub(hub)
    , m_payments(payments)
    , m_clerkRefundLimit(clerkRefundLimit)
{
    m_painter.setMaxThreadCount(1);
    using Method = QHttpServerRequest::Method;
    router.add(Method::Get, QStringLiteral("/api/v1/orders/{}"),
        [this](const HttpRequest &request, HttpReply reply) { show(request, std::move(reply)); });
    router.add(Method::Get, QStringLiteral("/api/v1/orders/{}/tickets.pdf"),
        [this](const HttpRequest &request, HttpReply reply) { pdf(request, std::move(reply)); });
    router.add(Method::Post, QStringLiteral("/api/v1/orders/{}/refund"),
        [this](const HttpRequest &request, HttpReply reply) { refund(request, std::move(reply)); });
    router.add(Method::Post, QStringLiteral("/api/v1/orders/{}/void"),
        [this](const HttpRequest &request, HttpReply reply) {
            voidPending(request, std::move(reply));
        });
}

void OrdersController::show(const HttpRequest &request, HttpReply reply)
{
    readOrder(request, std::move(reply), [this](HttpReply &out, const OrderService::Order &order) {
        // The secret link, for whoever may see the order anyway: the page
        // the buyer returns to from a provider (with the cart's token, no
        // key) puts it in the address bar, so a bookmark keeps working.
        QJsonObject json = orderJson(order);
        json.insert(QStringLiteral("link"), m_payments.links().path(order.id));
        out.json(200, json);
    });
}

void OrdersController::pdf(const HttpRequest &request, HttpReply reply)
{
    if (!m_renderer)
        return reply.error(503, QStringLiteral("unavailable"),
            QStringLiteral("This server makes no PDF tickets."));
    readOrder(request, std::move(reply), [this](HttpReply &out, const OrderService::Order &order) {
        const QList<TicketView> views = ticketViews(order);
        if (views.isEmpty())
            return out.error(
                409, QStringLiteral("conflict"), QStringLiteral("The order has no valid tickets."));
        // A few waiting are served in turn; beyond that, ask again soon.
        if (m_paintsWaiting->load() >= MaxPaintsWaiting)
            return out.retryLater(503, QStringLiteral("busy"),
                QStringLiteral("Tickets are being prepared; try again in a moment."), 2);
        ++*m_paintsWaiting;
        m_painter.start(
            [renderer = m_renderer, waiting = m_paintsWaiting, views, out,
                title = QCoreApplication::translate("OrdersController", "Tickets, order %1")
                            .arg(order.id)]() mutable {
                const QByteArray pdf = renderer(views, title);
                --*waiting;
                // Answered on the socket thread, where replies are written; the
                // reply moves there whole, so it is also released there.
                QMetaObject::invokeMethod(
                    QCoreApplication::instance(),
                    [out = std::move(out), pdf]() mutable {
                        out.bytes(200, QByteArrayLiteral("application/pdf"), pdf);
                    },
                    Qt::QueuedConnection);
            });
    });
}

void OrdersController::readOrder(const HttpRequest &request, HttpReply reply,
    std::function<void(HttpReply &, const OrderService::Order &)> answer)
{
    const QString orderId = request.args.at(0);
    const QString token = request.bearer();
    const OrderLinks &links = m_payments.links();
    m_storage.run<AuthorizedOrder>(
        [=, &links](StorageSession &s) -> AuthorizedOrder {
            auto order = OrderService(s.db, s.clock).find(orderId);
            // The order link's key, the cart's token or staff. An unknown
            // order and a foreign one look the same: 404 would tell a
            // guesser which ids exist.
            if (order && links.matches(orderId, token))
                return order;
            if (!cartOwnerOr(
                    s.db, s.clock, order ? order->cart : QString(), token, Permission::ViewOrders))
                return std::nullopt;
            return order;
        },
        [reply, answer](std::optional<AuthorizedOrder> result, const QString &error) mutable {
            if (!result)
                return reply.storageFailed(error);
            if (!*result)
                return reply.error(401, QStringLiteral("unauthorized"),
                    QStringLiteral("This call needs the cart's token or a staff session."));
            if (!**result)
                return reply.error(
                    404, QStringLiteral("not_found"), QStringLiteral("No such order."));
            answer(reply, ***result);
        });
}

void OrdersController::refund(const HttpRequest &request, HttpReply reply)
{
    const qint64 limit = m_clerkRefundLimit;
    guarded(request, std::move(reply), Permission::RefundUpToLimit,
        [limit](const OrderService &orders, const QString &order, const Principal &who) {
            return orders.refund(order,
                allows(who, Permission::RefundAny) ? std::nullopt : std::optional<qint64>(limit));
        });
}

void OrdersController::voidPending(const HttpRequest &request, HttpReply reply)
{
    guarded(request, std::move(reply), Permission::Void,
        [](const OrderService &orders, const QString &order, const Principal &) {
            return orders.voidPending(order);
        });
}

void OrdersController::guarded(
    const HttpRequest &request, HttpReply reply, Permission action, Change change)
{
    const QString orderId = request.args.at(0);
    const QString token = request.bearer();
    const QString address = request.client.toString();
    m_storage.run<GuardedChange>(
        [=](StorageSession &s) -> GuardedChange {
            const Authorized access = authorize(s.db, s.clock, token, action);
            if (!access.allowed())
                return {access};
            const OrderService orders(s.db, s.clock, {access.who.actor(), address});
            return {access, change(orders, orderId, access.who)};
        },
        [this, reply, orderId](std::optional<GuardedChange> result, const QString &error) mutable {
            if (!result)
                return reply.storageFailed(error);
            if (!result->access.allowed())
                return refuse(reply, result->access.verdict, QStringLiteral("a manager's session"));
            m_hub.publish(result->outcome.changes);
            if (result->outcome.refundsDue > 0 && m_refundDue)
                m_refundDue();
            answerChange(reply, orderId, result->outcome);
        });
}

void OrdersController::answerChange(
    HttpReply &reply, const QString &orderId, const OrderService::Outcome &outcome) const
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
    case Status::OverLimit:
        return reply.error(403, QStringLiteral("forbidden"),
            QStringLiteral("Refunds above the clerk limit need a manager."),
            {{QStringLiteral("limit"), m_clerkRefundLimit}});
    case Status::CheckedIn:
        return reply.error(409, QStringLiteral("checked_in"),
            QStringLiteral("A ticket of this order was checked in at the door; it cannot be"
                           " refunded."));
    case Status::UnknownOrder:
        break;
    }
    reply.error(404, QStringLiteral("not_found"), QStringLiteral("No such order."));
}

} // namespace Marquee
