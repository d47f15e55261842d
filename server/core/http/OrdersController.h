#pragma once

#include "OrderService.h"
#include "Permissions.h"

#include <functional>

namespace Marquee {

class ChannelHub;
class HttpReply;
class Router;
class Storage;
struct HttpRequest;

/// An order and its tickets (GET /api/v1/orders/{order}), and the staff's
/// refund and void.
class OrdersController
{
public:
    /// A clerk may refund orders of up to \a clerkRefundLimit (minor
    /// units); above it, a manager must.
    OrdersController(Router &router, Storage &storage, ChannelHub &hub, qint64 clerkRefundLimit);

private:
    using Change = std::function<OrderService::Outcome(
        const OrderService &, const QString &order, const Principal &who)>;

    /// GET /api/v1/orders/{order}
    void show(const HttpRequest &request, HttpReply reply);
    /// POST /api/v1/orders/{order}/refund
    void refund(const HttpRequest &request, HttpReply reply);
    /// POST /api/v1/orders/{order}/void
    void voidPending(const HttpRequest &request, HttpReply reply);

    /// Checks that the caller may do \a action, runs \a change on the
    /// storage thread, announces what it changed, then answers.
    void guarded(const HttpRequest &request, HttpReply reply, Permission action, Change change);
    void answerChange(
        HttpReply &reply, const QString &orderId, const OrderService::Outcome &outcome) const;

    Storage &m_storage;
    ChannelHub &m_hub;
    qint64 m_clerkRefundLimit;
};

} // namespace Marquee
