#pragma once

#include "AvailabilityChange.h"
#include "Buyer.h"
#include "SaleService.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QStringList>
#include <optional>

namespace Marquee {

class Clock;

struct PaymentRules
{
    qint64 paymentSeconds = 10 * 60; ///< how long a payment may take
};

/// Payment start, the online checkout's third layer: re-verifies every hold
/// of the cart under lock and extends it to cover the payment window.
/// (Confirmation, the last layer, is PaymentConfirmation.)
class PaymentService
{
public:
    struct Payment
    {
        QString id;
        QString order;
        qint64 amount = 0;
        QString currency;
        QDateTime expiresAt;
        QString provider; ///< who collects it (PaymentProviders)
        QString buyerEmail;
    };

    struct StartOutcome
    {
        enum class Status
        {
            Started,
            NothingToCheckOut,
            HoldLost,
            MixedCurrencies
        };
        Status status = Status::NothingToCheckOut;
        Payment payment;
        QStringList lostHolds;
        AvailabilityChanges changes;
    };

    /// What a provider's page shows of a payment.
    struct Summary
    {
        Payment payment;
        QString state; ///< pending, confirmed, failed, refund_due, refunded
        QString buyerName;
        QStringList lines; ///< "Event name: A3, A4" or "Event name: 2 places"
    };

    PaymentService(QSqlDatabase db, const Clock &clock, PaymentRules rules = {});

    std::optional<Summary> summary(const QString &paymentId) const;

    /// \a provider is the name of the provider that will collect it.
    StartOutcome start(const QString &cartId, const Buyer &buyer = {},
        const QString &provider = QStringLiteral("test")) const;

    /// The cart a payment belongs to (for authorization), or empty.
    QString cartOf(const QString &paymentId) const;

private:
    /// A pending order and its payment for \a holdIds, which now last the
    /// payment window at least.
    Payment createPayment(const QString &cartId, const QStringList &holdIds, qint64 amount,
        const QString &currency, const Buyer &buyer, const QString &provider) const;
    /// The cart's payment that is still waiting, if any.
    std::optional<Payment> pendingPayment(const QString &cartId) const;

    QSqlDatabase m_db;
    const Clock &m_clock;
    PaymentRules m_rules;
};

} // namespace Marquee
