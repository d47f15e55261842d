#include "PaymentsController.h"

#include "Access.h"
#include "CartService.h"
#include "ChannelHub.h"
#include "Clock.h"
#include "HoldExpiry.h"
#include "HttpReply.h"
#include "PaymentSetup.h"
#include "RequestBodies.h"
#include "Router.h"
#include "Storage.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

namespace Marquee {

namespace {
using StartStatus = PaymentService::StartOutcome::Status;
using Result = Confirmation::Result;
using AuthorizedStart = std::optional<PaymentService::StartOutcome>;
using GuardedConfirm = Guarded<Confirmation>;

} // namespace

PaymentsController::PaymentsController(Router &router, Storage &storage, ChannelHub &hub,
    HoldExpiry &expiry, const PaymentSetup &payments, PaymentRules rules)
    : m_storage(storage)
    , m_hub(hub)
    , m_expiry(expiry)
    , m_payments(payments)
    , m_rules(rules)
{
    using Method = QHttpServerRequest::Method;
    router.add(Method::Post, QStringLiteral("/api/v1/carts/{}/checkout"),
        [this](const HttpRequest &request, HttpReply reply) { start(request, std::move(reply)); });
    router.add(Method::Post, QStringLiteral("/api/v1/payments/{}/confirm"),
        [this](
            const HttpRequest &request, HttpReply reply) { confirm(request, std::move(reply)); });
}

void PaymentsController::start(const HttpRequest &request, HttpReply reply)
{
    QString problem;
    const auto buyer = RequestBodies::buyer(request.raw.body(), &problem);
    if (!buyer)
        return reply.error(400, QStringLiteral("bad_request"), problem);
    const QString cartId = request.args.at(0);
    const QString token = request.bearer();
    const PaymentRules rules = m_rules;
    const QString provider = m_payments.providers().current().name();
    m_storage.run<AuthorizedStart>(
        [=, buyer = *buyer](StorageSession &s) -> AuthorizedStart {
            if (!CartService(s.db, s.clock).authorize(cartId, token))
                return std::nullopt;
            return PaymentService(s.db, s.clock, rules).start(cartId, buyer, provider);
        },
        [this, reply](std::optional<AuthorizedStart> result, const QString &error) mutable {
            if (!result)
                return reply.storageFailed(error);
            if (!*result)
                return reply.error(401, QStringLiteral("unauthorized"),
                    QStringLiteral("This call needs the cart's token."));
            m_hub.publish((*result)->changes);
            answerStart(reply, **result);
        });
}

void PaymentsController::answerStart(HttpReply &reply, const PaymentService::StartOutcome &start)
{
    switch (start.status) {
    case StartStatus::Started:
        m_expiry.expect(start.payment.expiresAt);
        return answerStarted(reply, start.payment);
    case StartStatus::HoldLost:
        return reply.error(409, QStringLiteral("hold_lost"),
            QStringLiteral("Some holds ran out and were released; check the cart and try again."),
            {{QStringLiteral("holds"), QJsonArray::fromStringList(start.lostHolds)}});
    case StartStatus::MixedCurrencies:
        return reply.error(
            409, QStringLiteral("conflict"), QStringLiteral("A payment cannot mix currencies."));
    case StartStatus::NothingToCheckOut:
        break;
    }
    reply.error(
        409, QStringLiteral("conflict"), QStringLiteral("The cart has no hold to pay for."));
}

void PaymentsController::answerStarted(HttpReply &reply, const PaymentService::Payment &payment)
{
    const PaymentProvider *provider = m_payments.providers().find(payment.provider);
    if (!provider)
        provider = &m_payments.providers().current();
    PaymentRequest request;
    request.payment = payment.id;
    request.order = payment.order;
    request.amount = payment.amount;
    request.currency = payment.currency;
    request.description
        = QCoreApplication::translate("PaymentsController", "Tickets, order %1").arg(payment.order);
    request.buyerEmail = payment.buyerEmail;
    // Absolute, for a provider elsewhere, and without the order link's key:
    // the provider has no business knowing it. The page the buyer returns
    // to opens the order with the cart's token, which the browser kept.
    request.successUrl = m_payments.publicUrl() + QStringLiteral("/order.html?order=")
        + QString::fromLatin1(QUrl::toPercentEncoding(payment.order));
    request.cancelUrl = m_payments.publicUrl() + QStringLiteral("/?payment=declined");
    provider->begin(request, [reply, payment](std::optional<QString> redirect) mutable {
        if (!redirect)
            return reply.retryLater(503, QStringLiteral("provider_unavailable"),
                QStringLiteral("The payment provider cannot be reached; try again."), 5);
        reply.json(201,
            QJsonObject{{QStringLiteral("order"), payment.order},
                {QStringLiteral("payment"),
                    QJsonObject{{QStringLiteral("id"), payment.id},
                        {QStringLiteral("amount"), payment.amount},
                        {QStringLiteral("currency"), payment.currency},
                        {QStringLiteral("expiresAt"), isoUtc(payment.expiresAt)},
                        {QStringLiteral("redirect"), *redirect}}}});
    });
}

void PaymentsController::confirm(const HttpRequest &request, HttpReply reply)
{
    QString problem;
    const auto report = RequestBodies::paymentReport(
        request.header(QByteArrayLiteral("idempotency-key")), request.raw.body(), &problem);
    if (!report)
        return reply.error(400, QStringLiteral("bad_request"), problem);
    const QString paymentId = request.args.at(0);
    const QString token = request.bearer();
    const QString address = request.client.toString();
    m_storage.run<GuardedConfirm>(
        [paymentId, token, address, report = *report](StorageSession &s) -> GuardedConfirm {
            // Only whoever took the money may say so: the payment provider's
            // credential, never the customer and never the staff (a clerk
            // could otherwise mark any online order paid).
            const Authorized access = authorize(s.db, s.clock, token, Permission::ReportPayments);
            if (!access.allowed())
                return {access};
            return {access,
                PaymentConfirmation(s.db, s.clock, {access.who.actor(), address})
                    .confirm(paymentId, report.key, report.amount, report.reference)};
        },
        [this, reply](std::optional<GuardedConfirm> result, const QString &error) mutable {
            if (!result)
                return reply.storageFailed(error);
            if (!result->access.allowed())
                return refuse(reply, result->access.verdict,
                    QStringLiteral("the payment provider's credential"));
            m_hub.publish(result->outcome.changes);
            answer(reply, result->outcome);
        });
}

void PaymentsController::answer(HttpReply &reply, const Confirmation &confirmation)
{
    const QString conflict = QStringLiteral("conflict");
    switch (confirmation.result) {
    case Result::Paid:
        return reply.json(200,
            QJsonObject{{QStringLiteral("order"), confirmation.order},
                {QStringLiteral("state"), QStringLiteral("paid")},
                {QStringLiteral("total"), confirmation.total},
                {QStringLiteral("tickets"), SaleService::ticketsJson(confirmation.tickets)}});
    case Result::UnknownPayment:
        return reply.error(404, QStringLiteral("not_found"), QStringLiteral("No such payment."));
    case Result::KeyReused:
        return reply.error(422, QStringLiteral("idempotency_mismatch"),
            QStringLiteral("This idempotency key was used for another request."));
    case Result::AmountMismatch:
        return reply.error(409, QStringLiteral("amount_mismatch"),
            QStringLiteral("The amount paid does not match the order."),
            {{QStringLiteral("expected"), confirmation.expected}});
    case Result::AlreadyFinal:
        return reply.error(409, conflict,
            QStringLiteral("This payment is already %1.").arg(confirmation.state),
            {{QStringLiteral("state"), confirmation.state}});
    case Result::OrderCancelled:
        return reply.error(409, conflict,
            QStringLiteral("The order was cancelled; the payment will be refunded."),
            {{QStringLiteral("state"), QStringLiteral("refund_due")},
                {QStringLiteral("refund"), true}});
    case Result::StoredAnswer:
        return reply.bytes(confirmation.storedStatus, QByteArrayLiteral("application/json"),
            confirmation.storedAnswer);
    case Result::HoldLost:
        break;
    }
    if (confirmation.tooLate)
        return reply.error(409, QStringLiteral("hold_lost"),
            QStringLiteral("The payment came too late for seats let go when the hold ran out."
                           " Nothing was sold; the payment will be refunded."),
            {{QStringLiteral("refund"), true},
                {QStringLiteral("reason"), QStringLiteral("too_late")},
                {QStringLiteral("seats"), QJsonArray()}});
    reply.error(409, QStringLiteral("hold_lost"),
        confirmation.gone.isEmpty()
            ? QStringLiteral("The tickets no longer match the payment. Nothing was sold;"
                             " the payment will be refunded.")
            : QStringLiteral("The hold ran out and %1 was taken meanwhile. Nothing was sold;"
                             " the payment will be refunded.")
                  .arg(confirmation.gone.join(QStringLiteral(", "))),
        {{QStringLiteral("refund"), true},
            {QStringLiteral("seats"), QJsonArray::fromStringList(confirmation.goneSeats)}});
}

} // namespace Marquee
