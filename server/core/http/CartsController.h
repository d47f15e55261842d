#pragma once

#include "HoldService.h"
#include "RateLimiter.h"

#include <functional>
#include <optional>

namespace Marquee {

class ChannelHub;
class Clock;
class HoldExpiry;
class HttpReply;
class Metrics;
class Router;
class Storage;
struct HttpRequest;

/// Who may make how many carts (API.md "Limits per client address").
struct CartLimits
{
    int perMinute = 10; ///< new carts per client address; 0 = off
    bool trustLoopback = true; ///< loopback clients are not limited
};

/// Carts and holds: POST /api/v1/carts, GET a cart, POST and DELETE holds.
/// Every cart call must carry the cart's bearer token. A cart made with a
/// staff token, or by an exempt client, records no client address, and
/// neither the cart rate nor the hold cap (HoldRules::maxPerClient) applies.
class CartsController
{
public:
    CartsController(Router &router, Storage &storage, ChannelHub &hub, HoldExpiry &expiry,
        HoldRules rules, CartLimits limits, const Clock &clock);

    /// Counts the holds made and released here.
    void setMetrics(Metrics *metrics) { m_metrics = metrics; }

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

    static void answerHold(
        HttpReply &reply, const HoldService::Outcome &outcome, const HoldRules &rules);
    static void answerRenewal(
        HttpReply &reply, const HoldService::Outcome &outcome, int maxRenewals);
    void answerRelease(HttpReply &reply, const HoldService::Outcome &outcome);

    Storage &m_storage;
    ChannelHub &m_hub;
    HoldExpiry &m_expiry;
    HoldRules m_rules;
    bool m_trustLoopback;
    std::optional<RateLimiter> m_newCarts; ///< per client address
    Metrics *m_metrics = nullptr;
};

} // namespace Marquee
