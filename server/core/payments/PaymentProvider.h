#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <functional>
#include <optional>
#include <variant>

namespace Marquee {

/// What the server asks a provider to collect: one pending payment.
struct PaymentRequest
{
    QString payment; ///< our id, "p_…"; the provider echoes it in its events
    QString order;
    qint64 amount = 0; ///< minor units of \a currency
    QString currency;
    QString description; ///< what the buyer sees on the provider's page
    QString buyerEmail;
    QString successUrl; ///< where the buyer's browser goes after paying
    QString cancelUrl; ///< where it goes after declining or giving up
};

/// A provider's report, verified and read into our terms.
struct ProviderEvent
{
    enum class Kind
    {
        Succeeded, ///< the money was taken
        Failed ///< the buyer declined or the card was refused
    };
    QString id; ///< the provider's event id: a repeat is the same event
    Kind kind = Kind::Failed;
    QString payment;
    qint64 amount = 0;
    QString currency;
    QString reference; ///< the provider's id of the charge
};

/// Why a report was not believed; nothing changes then.
struct WebhookRefusal
{
    QString code; ///< "bad_signature", "stale", "bad_request"
    QString message;
};

/// A payment provider as the checkout sees it: where to send the buyer, and
/// how to tell its reports from forgeries. A real one (Stripe-style signed
/// webhooks) is one more subclass registered in PaymentProviders; nothing
/// else in the server knows which provider took the money.
class PaymentProvider
{
public:
    virtual ~PaymentProvider() = default;

    /// The name in /api/v1/payments/webhooks/{name} and in payments.provider.
    virtual QString name() const = 0;

    /// Asks for a hosted payment page; \a done gets its URL, or nullopt when
    /// the provider cannot be reached. May call \a done before returning
    /// (the test provider does) or later on the calling thread (one that
    /// talks to the provider over the network).
    virtual void begin(const PaymentRequest &request,
        std::function<void(std::optional<QString> redirect)> done) const = 0;

    /// The request header that carries the signature, lower case.
    virtual QByteArray signatureHeader() const = 0;

    /// Checks \a signature over \a body at \a now and reads the event.
    virtual std::variant<ProviderEvent, WebhookRefusal> verify(
        const QByteArray &signature, const QByteArray &body, const QDateTime &now) const = 0;

    /// Gives the money of a payment back (one that came too late for its
    /// seats, or of an order a clerk refunded); \a done says whether the
    /// provider accepted it. \a payment is the idempotency key: a provider
    /// refunds a payment at most once, and asked again (PendingRefunds asks
    /// again when an answer was lost) it accepts without paying twice.
    virtual void refund(const QString &payment, qint64 amount, const QString &reference,
        std::function<void(bool accepted)> done) const = 0;
};

} // namespace Marquee
