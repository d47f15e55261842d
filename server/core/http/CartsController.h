#pragma once

#include "HoldService.h"
#include "HttpReply.h"

#include <functional>

namespace Marquee {

class ChannelHub;
class HoldExpiry;
class Router;
struct HttpRequest;
class Storage;

/// Carts and holds: POST /api/v1/carts, GET a cart, POST and DELETE holds.
/// Every cart call must carry the cart's bearer token.
class CartsController
{
public:
    CartsController(
        Router &router, Storage &storage, ChannelHub &hub, HoldExpiry &expiry, HoldRules rules);

private:
    using HoldAction
        = std::function<HoldService::Outcome(const HoldService &, const QString &cart)>;
    using Respond = std::function<void(HttpReply &, const HoldService::Outcome &)>;

    void registerRoutes(Router &router);
    /// Checks the cart's token, runs \a action on the storage thread,
    /// announces what it changed, then lets \a respond answer.
    void onCart(const HttpRequest &request, HttpReply reply, HoldAction action, Respond respond);

    Storage &m_storage;
    ChannelHub &m_hub;
    HoldExpiry &m_expiry;
    HoldRules m_rules;
};

} // namespace Marquee
