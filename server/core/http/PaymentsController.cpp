#include "PaymentsController.h"

#include "CartService.h"
#include "ChannelHub.h"
#include "Clock.h"
#include "HoldExpiry.h"
#include "Router.h"
#include "StaffTokens.h"
#include "Storage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Marquee {

namespace {
using StartStatus = PaymentService::StartOutcome::Status;
using AuthorizedStart = std::optional<PaymentService::StartOutcome>;
using AuthorizedConfirm = std::optional<PaymentService::ConfirmOutcome>;
} // namespace

PaymentsController::PaymentsController(
    Router &router, Storage &storage, ChannelHub &hub, HoldExpiry &expiry, PaymentRules rules)
    : m_storage(storage)
    , m_hub(hub)
    , m_expiry(expiry)
    , m_rules(rules)
{
    registerRoutes(router);
}

void PaymentsController::registerRoutes(Router &router)
{
    using Method = QHttpServerRequest::Method;

    router.add(Method::Post, QStringLiteral("/api/v1/carts/{}/checkout"),
        [this](const HttpRequest &request, HttpReply reply) {
            const QString cartId = request.args.at(0);
            const QString token = request.bearer();
            const PaymentRules rules = m_rules;
            m_storage.run<AuthorizedStart>(
                [=](StorageSession &s) -> AuthorizedStart {
                    if (!CartService(s.db, s.clock).authorize(cartId, token))
                        return std::nullopt;
                    return PaymentService(s.db, s.clock, rules).start(cartId);
                },
                [this, reply](std::optional<AuthorizedStart> result, const QString &error) mutable {
                    if (!result)
                        return reply.storageFailed(error);
                    if (!*result)
                        return reply.error(401, QStringLiteral("unauthorized"),
                            QStringLiteral("This call needs the cart's token."));
                    const PaymentService::StartOutcome &start = **result;
                    m_hub.publish(start.changes);
                    switch (start.status) {
                    case StartStatus::Started: {
                        const PaymentService::Payment &payment = start.payment;
                        m_expiry.expect(payment.expiresAt);
                        return reply.json(201,
                            QJsonObject{{QStringLiteral("order"), payment.order},
                                {QStringLiteral("payment"),
                                    QJsonObject{{QStringLiteral("id"), payment.id},
                                        {QStringLiteral("amount"), payment.amount},
                                        {QStringLiteral("currency"), payment.currency},
                                        {QStringLiteral("expiresAt"),
                                            isoUtc(payment.expiresAt)}}}});
                    }
                    case StartStatus::HoldLost:
                        return reply.error(409, QStringLiteral("hold_lost"),
                            QStringLiteral("Some holds ran out and were released; check the cart "
                                           "and try again."),
                            {{QStringLiteral("holds"),
                                QJsonArray::fromStringList(start.lostHolds)}});
                    case StartStatus::MixedCurrencies:
                        return reply.error(409, QStringLiteral("conflict"),
                            QStringLiteral("A payment cannot mix currencies."));
                    case StartStatus::NothingToCheckOut:
                        break;
                    }
                    reply.error(409, QStringLiteral("conflict"),
                        QStringLiteral("The cart has no hold to pay for."));
                });
        });

    router.add(Method::Post, QStringLiteral("/api/v1/payments/{}/confirm"),
        [this](const HttpRequest &request, HttpReply reply) {
            const QString paymentId = request.args.at(0);
            const QJsonObject body = QJsonDocument::fromJson(request.raw.body()).object();
            QString key = QString::fromLatin1(request.header(QByteArrayLiteral("idempotency-key")));
            if (key.isEmpty())
                key = body.value(QLatin1String("key")).toString();
            const QJsonValue amount = body.value(QLatin1String("amount"));
            const QJsonValue referenceValue = body.value(QLatin1String("reference"));
            const QString reference = referenceValue.toString();
            if (key.isEmpty() || key.size() > 128)
                return reply.error(400, QStringLiteral("bad_request"),
                    QStringLiteral("An idempotency key (1–128 characters) is required."));
            if (!amount.isDouble() || amount.toDouble() < 0
                || amount.toDouble() != double(amount.toInteger()))
                return reply.error(400, QStringLiteral("bad_request"),
                    QStringLiteral("\"amount\" must be the amount paid, in minor units."));
            if (!referenceValue.isUndefined() && !referenceValue.isString())
                return reply.error(400, QStringLiteral("bad_request"),
                    QStringLiteral("\"reference\" must be the provider's reference, as text."));
            if (reference.size() > 200)
                return reply.error(400, QStringLiteral("bad_request"),
                    QStringLiteral("\"reference\" is too long."));
            const QString token = request.bearer();
            const PaymentRules rules = m_rules;
            const qint64 paid = amount.toInteger();
            m_storage.run<AuthorizedConfirm>(
                [=](StorageSession &s) -> AuthorizedConfirm {
                    // Only whoever took the money may say so: the payment
                    // provider's callback or the staff, never the customer.
                    if (!StaffTokens(s.db, s.clock).verify(token))
                        return std::nullopt;
                    const PaymentService payments(s.db, s.clock, rules);
                    return payments.confirm(paymentId, key, paid, reference);
                },
                [this, reply](
                    std::optional<AuthorizedConfirm> result, const QString &error) mutable {
                    if (!result)
                        return reply.storageFailed(error);
                    if (!*result)
                        return reply.error(401, QStringLiteral("unauthorized"),
                            QStringLiteral(
                                "Payments are confirmed by the payment provider or the staff."));
                    m_hub.publish((*result)->changes);
                    reply.bytes(
                        (*result)->status, QByteArrayLiteral("application/json"), (*result)->body);
                });
        });
}

} // namespace Marquee
