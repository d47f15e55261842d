#pragma once

namespace Marquee {

class ChannelHub;
class Router;
class Storage;

/// An order and its tickets (GET /api/v1/orders/{order}), and the staff's
/// refund and void.
class OrdersController
{
public:
    OrdersController(Router &router, Storage &storage, ChannelHub &hub);

private:
    void registerRoutes(Router &router);

    Storage &m_storage;
    ChannelHub &m_hub;
};

} // namespace Marquee
