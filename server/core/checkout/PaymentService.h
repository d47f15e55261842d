#pragma once

#include "AvailabilityChange.h"
#include "SaleService.h"

#include <QByteArray>
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

/// The online checkout's last two layers. Payment start re-verifies every
/// hold of the cart under lock and extends it to cover the payment window.
/// Payment confirmation verifies again under lock and turns the holds into a
/// paid order, exactly once per payment: each attempt is stored under its
/// idempotency key with its answer, and a repeat gets that answer again.
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

    /// The HTTP answer to a confirmation, as stored under its key.
    struct ConfirmOutcome
    {
        int status = 404;
        QByteArray body; ///< JSON
        bool replayed = false;
        AvailabilityChanges changes;
    };

    PaymentService(QSqlDatabase db, const Clock &clock, PaymentRules rules = {});

    StartOutcome start(const QString &cartId) const;

    /// \a key is the client's idempotency key; \a amount and \a reference
    /// are what the payment provider reported.
    ConfirmOutcome confirm(const QString &paymentId, const QString &key, qint64 amount,
        const QString &reference) const;

    /// The cart a payment belongs to (for authorization), or empty.
    QString cartOf(const QString &paymentId) const;

private:
    ConfirmOutcome settle(const QString &paymentId, qint64 amount, const QString &reference) const;
    ConfirmOutcome refuse(const QString &paymentId, const QString &orderId,
        const QString &reference, const QStringList &gone, const QStringList &goneSeats) const;
    /// The cart's payment that is still waiting, if any.
    std::optional<Payment> pendingPayment(const QString &cartId) const;

    QSqlDatabase m_db;
    const Clock &m_clock;
    PaymentRules m_rules;
};

} // namespace Marquee
