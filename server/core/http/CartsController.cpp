#include "CartsController.h"

#include "CartService.h"
#include "ChannelHub.h"
#include "Clock.h"
#include "HoldExpiry.h"
#include "Router.h"
#include "Storage.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Marquee {

namespace {

using Status = HoldService::Outcome::Status;

QJsonObject holdJson(const HoldService::Hold &hold)
{
    return QJsonObject{{QStringLiteral("hold"), hold.id},
                       {QStringLiteral("event"), hold.event},
                       {QStringLiteral("seats"), QJsonArray::fromStringList(hold.seats)},
                       {QStringLiteral("quantity"), hold.quantity},
                       {QStringLiteral("total"), hold.total},
                       {QStringLiteral("currency"), hold.currency},
                       {QStringLiteral("expiresAt"), isoUtc(hold.expiresAt)}};
}

void unauthorized(HttpReply &reply)
{
    reply.error(401, QStringLiteral("unauthorized"),
                QStringLiteral("This call needs the cart's token: Authorization: Bearer <token>."));
}

/// A hold outcome, or nullopt when the cart's token did not match.
using Authorized = std::optional<HoldService::Outcome>;

} // namespace

CartsController::CartsController(Router &router, Storage &storage, ChannelHub &hub,
                                 HoldExpiry &expiry, HoldRules rules)
    : m_storage(storage)
    , m_hub(hub)
    , m_expiry(expiry)
    , m_rules(rules)
{
    registerRoutes(router);
}

void CartsController::registerRoutes(Router &router)
{
    using Method = QHttpServerRequest::Method;

    router.add(Method::Post, QStringLiteral("/api/v1/carts"), [this](const HttpRequest &, HttpReply reply) {
        m_storage.run<CartService::NewCart>(
            [](StorageSession &s) { return CartService(s.db, s.clock).create(); },
            [reply](std::optional<CartService::NewCart> cart, const QString &error) mutable {
                if (!cart)
                    return reply.storageFailed(error);
                reply.json(201, QJsonObject{{QStringLiteral("cart"), cart->id},
                                            {QStringLiteral("token"), cart->token},
                                            {QStringLiteral("expiresAt"), isoUtc(cart->expiresAt)}});
            });
    });

    router.add(Method::Get, QStringLiteral("/api/v1/carts/{}"), [this](const HttpRequest &request, HttpReply reply) {
        struct Cart
        {
            bool authorized = false;
            QDateTime expiresAt;
            QList<HoldService::Hold> holds;
        };
        const QString cartId = request.args.at(0);
        const QString token = request.bearer();
        const HoldRules rules = m_rules;
        m_storage.run<Cart>(
            [=](StorageSession &s) {
                const CartService carts(s.db, s.clock);
                if (!carts.authorize(cartId, token))
                    return Cart{};
                return Cart{true, carts.expiresAt(cartId), HoldService(s.db, s.clock, rules).liveHolds(cartId)};
            },
            [reply, cartId](std::optional<Cart> cart, const QString &error) mutable {
                if (!cart)
                    return reply.storageFailed(error);
                if (!cart->authorized)
                    return unauthorized(reply);
                QJsonArray holds;
                for (const HoldService::Hold &hold : std::as_const(cart->holds))
                    holds.append(holdJson(hold));
                reply.json(200, QJsonObject{{QStringLiteral("cart"), cartId},
                                            {QStringLiteral("expiresAt"), isoUtc(cart->expiresAt)},
                                            {QStringLiteral("holds"), holds}});
            });
    });

    router.add(Method::Post, QStringLiteral("/api/v1/carts/{}/holds"), [this](const HttpRequest &request, HttpReply reply) {
        QString problem;
        const auto hold = Protocol::decodeHoldRequest(request.raw.body(), m_rules.request, &problem);
        if (!hold)
            return reply.error(400, QStringLiteral("bad_request"), problem);
        const QString cartId = request.args.at(0);
        const QString token = request.bearer();
        const HoldRules rules = m_rules;
        m_storage.run<Authorized>(
            [=](StorageSession &s) -> Authorized {
                if (!CartService(s.db, s.clock).authorize(cartId, token))
                    return std::nullopt;
                return HoldService(s.db, s.clock, rules).hold(cartId, *hold);
            },
            [this, reply, rules](std::optional<Authorized> result, const QString &error) mutable {
                if (!result)
                    return reply.storageFailed(error);
                if (!*result)
                    return unauthorized(reply);
                const HoldService::Outcome &outcome = **result;
                m_hub.publish(outcome.changes);
                switch (outcome.status) {
                case Status::Held:
                    m_expiry.expect(outcome.hold.expiresAt);
                    return reply.json(201, holdJson(outcome.hold));
                case Status::UnknownEvent:
                    return reply.error(404, QStringLiteral("not_found"), QStringLiteral("No such event."));
                case Status::UnknownSeats:
                    return reply.error(400, QStringLiteral("bad_request"),
                                       QStringLiteral("These seats are not part of the event: %1.")
                                           .arg(outcome.seats.join(QStringLiteral(", "))),
                                       {{QStringLiteral("seats"), QJsonArray::fromStringList(outcome.seats)}});
                case Status::Unavailable:
                    if (!outcome.seats.isEmpty()) {
                        return reply.error(409, QStringLiteral("unavailable"),
                                           QStringLiteral("Not available any more: %1. Nothing was held.")
                                               .arg(outcome.seats.join(QStringLiteral(", "))),
                                           {{QStringLiteral("seats"), QJsonArray::fromStringList(outcome.seats)}});
                    }
                    return reply.error(409, QStringLiteral("unavailable"),
                                       QStringLiteral("Only %1 places are left. Nothing was held.").arg(outcome.available),
                                       {{QStringLiteral("available"), outcome.available}});
                case Status::TooManyHolds:
                    return reply.error(409, QStringLiteral("conflict"),
                                       QStringLiteral("A cart can have at most %1 holds.").arg(rules.maxHoldsPerCart));
                case Status::UnknownHold:
                case Status::Released:
                case Status::Renewed:
                case Status::RenewalLimit:
                    break;
                }
                reply.error(500, QStringLiteral("internal"), QStringLiteral("Unexpected outcome."));
            });
    });

    router.add(Method::Post, QStringLiteral("/api/v1/carts/{}/holds/{}/renew"), [this](const HttpRequest &request, HttpReply reply) {
        const QString cartId = request.args.at(0);
        const QString holdId = request.args.at(1);
        const QString token = request.bearer();
        const HoldRules rules = m_rules;
        m_storage.run<Authorized>(
            [=](StorageSession &s) -> Authorized {
                if (!CartService(s.db, s.clock).authorize(cartId, token))
                    return std::nullopt;
                return HoldService(s.db, s.clock, rules).renew(cartId, holdId);
            },
            [reply, rules](std::optional<Authorized> result, const QString &error) mutable {
                if (!result)
                    return reply.storageFailed(error);
                if (!*result)
                    return unauthorized(reply);
                // A renewal only moves the expiry later: the timer set for
                // the earlier time finds nothing due and moves on.
                switch ((*result)->status) {
                case Status::Renewed:
                    return reply.json(200, holdJson((*result)->hold));
                case Status::RenewalLimit:
                    return reply.error(409, QStringLiteral("renewal_limit"),
                                       QStringLiteral("A hold can be renewed %1 times.").arg(rules.maxRenewals));
                default:
                    return reply.error(404, QStringLiteral("not_found"),
                                       QStringLiteral("No live hold by that id in this cart."));
                }
            });
    });

    router.add(Method::Delete, QStringLiteral("/api/v1/carts/{}/holds/{}"), [this](const HttpRequest &request, HttpReply reply) {
        const QString cartId = request.args.at(0);
        const QString holdId = request.args.at(1);
        const QString token = request.bearer();
        const HoldRules rules = m_rules;
        m_storage.run<Authorized>(
            [=](StorageSession &s) -> Authorized {
                if (!CartService(s.db, s.clock).authorize(cartId, token))
                    return std::nullopt;
                return HoldService(s.db, s.clock, rules).release(cartId, holdId);
            },
            [this, reply](std::optional<Authorized> result, const QString &error) mutable {
                if (!result)
                    return reply.storageFailed(error);
                if (!*result)
                    return unauthorized(reply);
                m_hub.publish((*result)->changes);
                if ((*result)->status != Status::Released)
                    return reply.error(404, QStringLiteral("not_found"), QStringLiteral("No live hold by that id in this cart."));
                reply.noContent();
            });
    });
}

} // namespace Marquee
