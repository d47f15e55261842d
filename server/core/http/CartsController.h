#pragma once

#include "HoldService.h"

#include <functional>

namespace Marquee {

class ChannelHub;
class HoldExpiry;
class HttpReply;
class Router;
class Storage;
struct HttpRequest;

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

    /// POST /api/v1/carts
    void create(const HttpRequest &request, HttpReply reply);
    /// GET /api/v1/carts/{cart}
    void show(const HttpRequest &request, HttpReply reply);
    /// POST /api/v1/carts/{cart}/holds
    void hold(const HttpRequest &request, HttpReply reply);
    /// POST /api/v1/carts/{cart}/holds/{hold}/renew
    void renew(const HttpRequest &request, HttpReply reply);
    /// DELETE /api/v1/carts/{cart}/holds/{hold}
    void release(const HttpRequest &request, HttpReply reply);

    /// Checks the cart's token, runs \a action on the storage thread,
    /// announces what it changed, then lets \a respond answer.
    void onCart(const HttpRequest &request, HttpReply reply, HoldAction action, Respond respond);

    static void answerHold(HttpReply &reply, const HoldService::Outcome &outcome, int maxHolds);
    static void answerRenewal(
        HttpReply &reply, const HoldService::Outcome &outcome, int maxRenewals);
    static void answerRelease(HttpReply &reply, const HoldService::Outcome &outcome);

    Storage &m_storage;
    ChannelHub &m_hub;
    HoldExpiry &m_expiry;
    HoldRules m_rules;
};

} // namespace Marquee
