#include "WebhooksController.h"

#include "ChannelHub.h"
#include "Clock.h"
#include "HttpReply.h"
#include "PaymentConfirmation.h"
#include "PaymentDecline.h"
#include "PaymentSetup.h"
#include "Router.h"
#include "Sql.h"
#include "Storage.h"

#include <QJsonArray>
#include <variant>

namespace Marquee {

namespace {

using Kind = ProviderEvent::Kind;
using Result = Confirmation::Result;
using Applied = std::variant<Confirmation, PaymentDecline::Outcome>;

WebhooksController::Answer refused(int status, const QString &code, const QString &message)
{
    return {status, {{QStringLiteral("error"), code}, {QStringLiteral("message"), message}}};
}

WebhooksController::Answer received(
    const QString &result, const QString &order, QJsonObject extra = {})
{
    extra.insert(QStringLiteral("received"), true);
    extra.insert(QStringLiteral("result"), result);
    extra.insert(QStringLiteral("order"), order);
    return {200, extra};
}

/// The same outcome always words the same answer: a repeated report is
/// answered from the stored confirmation, so it reads as the first did.
WebhooksController::Answer answerOf(const Confirmation &c)
{
    switch (c.result) {
    case Result::Paid:
        return received(QStringLiteral("paid"), c.order, {{QStringLiteral("retaken"), c.retaken}});
    case Result::HoldLost:
        return received(QStringLiteral("refund"), c.order,
            {{QStringLiteral("seats"), QJsonArray::fromStringList(c.goneSeats)},
                {QStringLiteral("reason"),
                    c.tooLate ? QStringLiteral("too_late") : QStringLiteral("taken")}});
    case Result::OrderCancelled:
        return received(QStringLiteral("refund"), c.order);
    case Result::AlreadyFinal:
        return received(
            QStringLiteral("already_final"), c.order, {{QStringLiteral("state"), c.state}});
    case Result::AmountMismatch:
        return received(
            QStringLiteral("amount_mismatch"), c.order, {{QStringLiteral("expected"), c.expected}});
    case Result::KeyReused:
        return refused(422, QStringLiteral("idempotency_mismatch"),
            QStringLiteral("This event id came with another report."));
    case Result::StoredAnswer:
        return received(QStringLiteral("replayed"), c.order);
    case Result::UnknownPayment:
        break;
    }
    return refused(404, QStringLiteral("not_found"), QStringLiteral("No such payment."));
}

WebhooksController::Answer answerOf(const PaymentDecline::Outcome &d)
{
    using R = PaymentDecline::Outcome::Result;
    switch (d.result) {
    case R::Declined:
        return received(QStringLiteral("declined"), d.order);
    case R::AlreadyFinal:
        return received(
            QStringLiteral("already_final"), d.order, {{QStringLiteral("state"), d.state}});
    case R::UnknownPayment:
        break;
    }
    return refused(404, QStringLiteral("not_found"), QStringLiteral("No such payment."));
}

} // namespace

WebhooksController::WebhooksController(Router &router, Storage &storage, ChannelHub &hub,
    const PaymentSetup &payments, const Clock &clock)
    : m_storage(storage)
    , m_hub(hub)
    , m_payments(payments)
    , m_clock(clock)
{
    router.add(QHttpServerRequest::Method::Post, QStringLiteral("/api/v1/payments/webhooks/{}"),
        [this](
            const HttpRequest &request, HttpReply reply) { receive(request, std::move(reply)); });
}

void WebhooksController::receive(const HttpRequest &request, HttpReply reply)
{
    const PaymentProvider *provider = m_payments.providers().find(request.args.at(0));
    const QByteArray signature
        = provider ? request.header(provider->signatureHeader()) : QByteArray();
    deliver(request.args.at(0), signature, request.raw.body(), request.client.toString(),
        [reply](const Answer &answer) mutable { reply.json(answer.status, answer.body); });
}

void WebhooksController::deliver(const QString &providerName, const QByteArray &signature,
    const QByteArray &body, const QString &address, Done done)
{
    const PaymentProvider *provider = m_payments.providers().find(providerName);
    if (!provider)
        return done(refused(404, QStringLiteral("not_found"), QStringLiteral("No such provider.")));
    auto verified = provider->verify(signature, body, m_clock.now());
    if (const auto *refusal = std::get_if<WebhookRefusal>(&verified))
        return done(refused(400, refusal->code, refusal->message));
    apply(*provider, std::get<ProviderEvent>(verified), address, std::move(done));
}

void WebhooksController::apply(
    const PaymentProvider &provider, const ProviderEvent &event, const QString &address, Done done)
{
    const AuditActor actor{QStringLiteral("provider:") + provider.name(), address};
    // The provider's event id is the idempotency key: each event takes
    // effect once, however often the provider sends it.
    const QString key = provider.name() + u':' + event.id;
    m_storage.run<Applied>(
        [=, name = provider.name()](StorageSession &s) -> Applied {
            // A report settles only a payment of its own provider, in the
            // payment's currency: 9000 JPY is no 9000 EUR.
            QVariantList payment;
            {
                Sql::Rows found = Sql::exec(s.db,
                    QStringLiteral("SELECT provider, currency, amount FROM payments WHERE id = ?"),
                    {event.payment});
                if (found.next())
                    payment = {found.value(0), found.value(1), found.value(2)};
            }
            if (payment.isEmpty() || payment.at(0).toString() != name)
                return Confirmation{};
            if (event.kind == Kind::Succeeded && payment.at(1).toString() != event.currency) {
                Confirmation mismatch;
                mismatch.result = Result::AmountMismatch;
                mismatch.expected = payment.at(2).toLongLong();
                return mismatch;
            }
            if (event.kind == Kind::Failed)
                return PaymentDecline(s.db, s.clock, actor).decline(event.payment);
            return PaymentConfirmation(s.db, s.clock, actor)
                .confirm(event.payment, key, event.amount, event.reference);
        },
        [this, done](std::optional<Applied> applied, const QString &error) {
            if (!applied) {
                qWarning("storage: %s", qPrintable(error));
                // 503: the provider sends the report again later.
                return done(refused(503, QStringLiteral("unavailable_storage"),
                    QStringLiteral("The database could not answer; try again.")));
            }
            if (const auto *confirmation = std::get_if<Confirmation>(&*applied)) {
                m_hub.publish(confirmation->changes);
                if (!confirmation->replayed
                    && (confirmation->result == Result::HoldLost
                        || confirmation->result == Result::OrderCancelled)
                    && m_refundDue)
                    m_refundDue();
                if (!confirmation->replayed && confirmation->result == Result::Paid && m_paid)
                    m_paid(confirmation->order);
                return done(answerOf(*confirmation));
            }
            done(answerOf(std::get<PaymentDecline::Outcome>(*applied)));
        });
}

} // namespace Marquee
