#pragma once

#include "HoldService.h"

namespace Marquee {

class ChannelHub;
class HoldExpiry;
class Router;
class Storage;

/// Carts and holds: POST /api/v1/carts, GET a cart, POST and DELETE holds.
/// Every cart call must carry the cart's bearer token.
class CartsController
{
public:
    CartsController(Router &router, Storage &storage, ChannelHub &hub, HoldExpiry &expiry,
                    HoldRules rules);

private:
    void registerRoutes(Router &router);

    Storage &m_storage;
    ChannelHub &m_hub;
    HoldExpiry &m_expiry;
    HoldRules m_rules;
};

} // namespace Marquee
