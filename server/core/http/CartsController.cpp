#include "CartsController.h"

#include "Access.h"
#include "CartService.h"
#include "ChannelHub.h"
#include "Clock.h"
#include "HoldExpiry.h"
#include "HttpReply.h"
#include "Metrics.h"
#include "Router.h"
#include "Storage.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Marquee {

namespace {

using Status = HoldService::Outcome::Status;

/// A hold outcome, or nullopt when the cart's token did not match.
using CartOutcome = std::optional<HoldService::Outcome>; ///< nullopt: not the cart's token

/// What GET /api/v1/carts/{cart} reads in one job; empty, with \c authorized
/// false, when the token did not match.
struct CartView
{
    bool authorized = false;
    QDateTime expiresAt;
    QList<HoldService::Hold> holds;
};

QJsonObject holdJson(const HoldService::Hold &hold)
{
    return QJsonObject{{QStringLiteral("hold"), hold.id}, {QStringLiteral("event"), hold.event},
        {QStringLiteral("seats"), QJsonArray::fromStringList(hold.seats)},
        {QStringLiteral("quantity"), hold.quantity}, {QStringLiteral("total"), hold.total},
        {QStringLiteral("currency"), hold.currency},
        {QStringLiteral("expiresAt"), isoUtc(hold.expiresAt)},
        {QStringLiteral("inCheckout"), !hold.order.isEmpty()},
        {QStringLiteral("renewalsLeft"), hold.renewalsLeft}};
}

QJsonObject cartJson(const QString &cartId, const CartView &cart)
{
    QJsonArray holds;
    for (const HoldService::Hold &hold : cart.holds)
        holds.append(holdJson(hold));
    return QJsonObject{{QStringLiteral("cart"), cartId},
        {QStringLiteral("expiresAt"), isoUtc(cart.expiresAt)}, {QStringLiteral("holds"), holds}};
}

void unauthorized(HttpReply &reply)
{
    reply.error(401, QStringLiteral("unauthorized"),
        QStringLiteral("This call needs the cart's token: Authorization: Bearer <token>."));
}

void noSuchHold(HttpReply &reply)
{
    reply.error(
        404, QStringLiteral("not_found"), QStringLiteral("No live hold by that id in this cart."));
}

/// Named seats say which ones were taken; general admission says how many
/// places are left.
void unavailable(HttpReply &reply, const HoldService::Outcome &outcome)
{
    if (!outcome.seats.isEmpty()) {
        return reply.error(409, QStringLiteral("unavailable"),
            QStringLiteral("Not available any more: %1. Nothing was held.")
                .arg(outcome.seats.join(QStringLiteral(", "))),
            {{QStringLiteral("seats"), QJsonArray::fromStringList(outcome.seats)}});
    }
    reply.error(409, QStringLiteral("unavailable"),
        QStringLiteral("Only %1 places are left. Nothing was held.").arg(outcome.available),
        {{QStringLiteral("available"), outcome.available}});
}

} // namespace

CartsController::CartsController(Router &router, Storage &storage, ChannelHub &hub,
    HoldExpiry &expiry, HoldRules rules, CartLimits limits, const Clock &clock)
    : m_storage(storage)
    , m_hub(hub)
    , m_expiry(expiry)
    , m_rules(rules)
    , m_trustLoopback(limits.trustLoopback)
{
    if (limits.perMinute > 0) {
        // The test's clock, so a minute passes without waiting for one.
        m_newCarts.emplace(RateLimiter::Rule{limits.perMinute / 60.0, double(limits.perMinute)},
            [&clock] { return clock.now().toMSecsSinceEpoch(); });
    }
    using Method = QHttpServerRequest::Method;
    router.add(Method::Post, QStringLiteral("/api/v1/carts"),
        [this](const HttpRequest &request, HttpReply reply) { create(request, std::move(reply)); });
    router.add(Method::Get, QStringLiteral("/api/v1/carts/{}"),
        [this](const HttpRequest &request, HttpReply reply) { show(request, std::move(reply)); });
    router.add(Method::Post, QStringLiteral("/api/v1/carts/{}/holds"),
        [this](const HttpRequest &request, HttpReply reply) { hold(request, std::move(reply)); });
    router.add(Method::Post, QStringLiteral("/api/v1/carts/{}/holds/{}/renew"),
        [this](const HttpRequest &request, HttpReply reply) { renew(request, std::move(reply)); });
    router.add(Method::Delete, QStringLiteral("/api/v1/carts/{}/holds/{}"),
        [this](
            const HttpRequest &request, HttpReply reply) { release(request, std::move(reply)); });
}

void CartsController::create(const HttpRequest &request, HttpReply reply)
{
    // The counter sells to big groups: a staff token (checked on the storage
    // thread; a wrong one gets no cart) makes a cart no cap applies to.
    const QString staffToken = request.bearer();
    const bool exempt = m_trustLoopback && request.client.isLoopback();
    const bool capped = staffToken.isEmpty() && !exempt;
    if (capped && m_newCarts && !m_newCarts->allow(request.client)) {
        const int wait = m_newCarts->retryAfter(request.client);
        return reply.retryLater(429, QStringLiteral("rate_limited"),
            QStringLiteral("Too many new carts from this address; try again in %1 s.").arg(wait),
            wait);
    }
    const QString address = capped ? request.client.toString() : QString();
    m_storage.run<std::optional<CartService::NewCart>>(
        [staffToken, address](StorageSession &s) -> std::optional<CartService::NewCart> {
            if (staffToken.isEmpty())
                return CartService(s.db, s.clock).create(address);
            const Authorized staff = authorize(s.db, s.clock, staffToken, Permission::Sell);
            if (!staff.allowed())
                return std::nullopt;
            return CartService(s.db, s.clock).create(address, staff.who.actor());
        },
        [reply](
            std::optional<std::optional<CartService::NewCart>> cart, const QString &error) mutable {
            if (!cart)
                return reply.storageFailed(error);
            if (!*cart)
                return reply.error(401, QStringLiteral("unauthorized"),
                    QStringLiteral("A cart is made without a token, or with a clerk's session."));
            reply.json(201,
                QJsonObject{{QStringLiteral("cart"), (*cart)->id},
                    {QStringLiteral("token"), (*cart)->token},
                    {QStringLiteral("expiresAt"), isoUtc((*cart)->expiresAt)}});
        });
}

void CartsController::show(const HttpRequest &request, HttpReply reply)
{
    const QString cartId = request.args.at(0);
    const QString token = request.bearer();
    const HoldRules rules = m_rules;
    m_storage.run<CartView>(
        [=](StorageSession &s) {
            const CartService carts(s.db, s.clock);
            if (!carts.authorize(cartId, token))
                return CartView{};
            return CartView{
                true, carts.expiresAt(cartId), HoldService(s.db, s.clock, rules).liveHolds(cartId)};
        },
        [reply, cartId](std::optional<CartView> cart, const QString &error) mutable {
            if (!cart)
                return reply.storageFailed(error);
            if (!cart->authorized)
                return unauthorized(reply);
            reply.json(200, cartJson(cartId, *cart));
        });
}

void CartsController::hold(const HttpRequest &request, HttpReply reply)
{
    // Checked here on the socket thread, so a bad body never costs a storage job.
    QString problem;
    const auto hold = Protocol::decodeHoldRequest(request.raw.body(), m_rules.request, &problem);
    if (!hold)
        return reply.error(400, QStringLiteral("bad_request"), problem);
    onCart(
        request, std::move(reply),
        [request = *hold](
            const HoldService &holds, const QString &cart) { return holds.hold(cart, request); },
        [this](HttpReply &answer, const HoldService::Outcome &outcome) {
            // The one timer is set for the earliest expiry; a new hold may be earlier.
            if (outcome.status == Status::Held) {
                m_expiry.expect(outcome.hold.expiresAt);
                if (m_metrics)
                    m_metrics->countHoldsCreated();
            }
            answerHold(answer, outcome, m_rules);
        });
}

void CartsController::renew(const HttpRequest &request, HttpReply reply)
{
    const int maxRenewals = m_rules.maxRenewals;
    // A renewal only moves the expiry later: the timer set for the earlier
    // time finds nothing due and moves on, so it is not told.
    onCart(
        request, std::move(reply),
        [hold = request.args.at(1)](
            const HoldService &holds, const QString &cart) { return holds.renew(cart, hold); },
        [maxRenewals](HttpReply &answer, const HoldService::Outcome &outcome) {
            answerRenewal(answer, outcome, maxRenewals);
        });
}

void CartsController::release(const HttpRequest &request, HttpReply reply)
{
    onCart(
        request, std::move(reply),
        [hold = request.args.at(1)](
            const HoldService &holds, const QString &cart) { return holds.release(cart, hold); },
        [this](HttpReply &answer, const HoldService::Outcome &outcome) {
            answerRelease(answer, outcome);
        });
}

void CartsController::onCart(
    const HttpRequest &request, HttpReply reply, HoldAction action, Respond respond)
{
    const QString cartId = request.args.at(0);
    const QString token = request.bearer();
    const HoldRules rules = m_rules;
    const QString address = request.client.toString();
    m_storage.run<CartOutcome>(
        [=](StorageSession &s) -> CartOutcome {
            const CartService::Access access = CartService(s.db, s.clock).authorize(cartId, token);
            if (!access)
                return std::nullopt;
            // A counter cart's holds are the clerk's; a buyer is known by the cart.
            const AuditActor actor{
                access.staffUser.isEmpty() ? QStringLiteral("cart:") + cartId : access.staffUser,
                address};
            return action(HoldService(s.db, s.clock, rules, actor), cartId);
        },
        [this, reply, respond](std::optional<CartOutcome> result, const QString &error) mutable {
            if (!result)
                return reply.storageFailed(error);
            if (!*result)
                return unauthorized(reply);
            m_hub.publish((*result)->changes);
            respond(reply, **result);
        },
        // Holds, renewals and releases are the hot path: they share one
        // commit with those queued beside them (Storage::Commit).
        Storage::Commit::Shared);
}

void CartsController::answerHold(
    HttpReply &reply, const HoldService::Outcome &outcome, const HoldRules &rules)
{
    switch (outcome.status) {
    case Status::Held:
        return reply.json(201, holdJson(outcome.hold));
    case Status::UnknownEvent:
        return reply.error(404, QStringLiteral("not_found"), QStringLiteral("No such event."));
    case Status::UnknownSeats:
        return reply.error(400, QStringLiteral("bad_request"),
            QStringLiteral("These seats are not part of the event: %1.")
                .arg(outcome.seats.join(QStringLiteral(", "))),
            {{QStringLiteral("seats"), QJsonArray::fromStringList(outcome.seats)}});
    case Status::Unavailable:
        return unavailable(reply, outcome);
    case Status::TooManyHolds:
        return reply.error(409, QStringLiteral("conflict"),
            QStringLiteral("A cart can have at most %1 holds.").arg(rules.maxHoldsPerCart));
    case Status::ClientHoldLimit:
        // 409, not 429: waiting does not help until holds are released,
        // sold or run out.
        return reply.error(409, QStringLiteral("client_hold_limit"),
            QStringLiteral("This address already holds %1 of at most %2 seats and places."
                           " Nothing was held.")
                .arg(outcome.clientHeld)
                .arg(rules.maxPerClient),
            {{QStringLiteral("held"), outcome.clientHeld},
                {QStringLiteral("limit"), rules.maxPerClient}});
    default:
        return reply.error(500, QStringLiteral("internal"), QStringLiteral("Unexpected outcome."));
    }
}

void CartsController::answerRenewal(
    HttpReply &reply, const HoldService::Outcome &outcome, int maxRenewals)
{
    switch (outcome.status) {
    case Status::Renewed:
        return reply.json(200, holdJson(outcome.hold));
    case Status::RenewalLimit:
        return reply.error(409, QStringLiteral("renewal_limit"),
            QStringLiteral("A hold can be renewed %1 times.").arg(maxRenewals));
    default:
        return noSuchHold(reply);
    }
}

void CartsController::answerRelease(HttpReply &reply, const HoldService::Outcome &outcome)
{
    if (outcome.status != Status::Released)
        return noSuchHold(reply);
    if (m_metrics)
        m_metrics->countHoldsReleased(Metrics::Release::ByCart);
    reply.noContent();
}

} // namespace Marquee
