#pragma once

#include "OrderService.h"

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
    OrdersController(Router &router, Storage &storage, ChannelHub &hub);

private:
    using Change = std::function<OrderService::Outcome(const OrderService &, const QString &order)>;

    /// GET /api/v1/orders/{order}
    void show(const HttpRequest &request, HttpReply reply);
    /// POST /api/v1/orders/{order}/refund
    void refund(const HttpRequest &request, HttpReply reply);
    /// POST /api/v1/orders/{order}/void
    void voidPending(const HttpRequest &request, HttpReply reply);

    /// Checks for a manager's staff token, runs \a change on the storage
    /// thread, announces what it changed, then answers.
    void asManager(const HttpRequest &request, HttpReply reply, Change change);
    static void answerChange(
        HttpReply &reply, const QString &orderId, const OrderService::Outcome &outcome);

    Storage &m_storage;
    ChannelHub &m_hub;
};

} // namespace Marquee
