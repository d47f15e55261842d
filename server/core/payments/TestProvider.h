#pragma once

#include "PaymentProvider.h"
#include "WebhookSignature.h"

namespace Marquee {

/// The built-in test provider of the contract: its hosted page
/// (/pay/test/{payment}, TestPaymentPage) has Pay and Decline, and each
/// button sends a signed report to /api/v1/payments/webhooks/test exactly as
/// an outside provider would. No money moves.
class TestProvider : public PaymentProvider
{
public:
    /// \a secret signs the reports and the hosted pages' links; it is made
    /// at first start and kept in the database (ServerSecrets).
    explicit TestProvider(QByteArray secret);

    QString name() const override;
    void begin(const PaymentRequest &request,
        std::function<void(std::optional<QString>)> done) const override;
    QByteArray signatureHeader() const override;
    std::variant<ProviderEvent, WebhookRefusal> verify(
        const QByteArray &signature, const QByteArray &body, const QDateTime &now) const override;
    void refund(const QString &payment, qint64 amount, const QString &reference,
        std::function<void(bool)> done) const override;

    /// The key in a hosted page's link: without it nobody but the buyer
    /// who was sent there can pay or decline that payment.
    QString pageKey(const QString &payment) const;
    bool pageKeyMatches(const QString &payment, const QString &key) const;

    /// What the hosted page sends when the buyer presses a button.
    struct SignedReport
    {
        QByteArray body;
        QByteArray signature;
    };
    SignedReport report(ProviderEvent::Kind kind, const QString &payment, qint64 amount,
        const QString &currency, const QDateTime &now) const;

private:
    QByteArray m_secret;
    WebhookSignature m_signature;
};

} // namespace Marquee
