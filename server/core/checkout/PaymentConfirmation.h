#pragma once

#include "AuditLog.h"
#include "AvailabilityChange.h"
#include "SaleService.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QStringList>

namespace Marquee {

class Clock;

/// What came of a payment confirmation, in the checkout's terms.
struct Confirmation
{
    enum class Result
    {
        Paid, ///< the holds became a paid order
        UnknownPayment,
        AmountMismatch, ///< nothing changed; \a expected is the payment's amount
        AlreadyFinal, ///< confirmed under another key, or refunded; \a state says which
        OrderCancelled, ///< the order was voided meanwhile: the payment is to be refunded
        HoldLost, ///< seats went elsewhere: nothing sold, the payment is to be refunded
        KeyReused, ///< this idempotency key came with another request: nothing done
        /// A confirmation stored by schema version 3 or older, which kept
        /// its answer as it was sent: \a storedStatus and \a storedAnswer,
        /// to be sent again unchanged.
        StoredAnswer
    };
    Result result = Result::UnknownPayment;
    QString order;
    qint64 total = 0;
    QList<SaleService::Ticket> tickets;
    qint64 expected = 0;
    QString state;
    QStringList gone; ///< HoldLost: the seats, or the GA events, taken meanwhile
    QStringList goneSeats; ///< HoldLost: the seats alone
    int storedStatus = 0;
    QByteArray storedAnswer;
    bool replayed = false; ///< the first outcome for this key, again
    bool retaken = false; ///< Paid: a hold had run out, and its seats were taken again
    /// HoldLost: a hold had run out, and the payment came too late to take
    /// its seats again (PaymentConfirmation::LateGraceSeconds, or the event
    /// had begun).
    bool tooLate = false;
    AvailabilityChanges changes;

    bool tookEffect() const { return result == Result::Paid; }
    /// The stored form, kept under the idempotency key.
    QByteArray encode() const;
    static Confirmation decode(const QByteArray &stored);
};

/// The online checkout's last layer. A confirmation verifies every hold of
/// the order again under lock and turns them into a paid order, exactly once
/// per payment: each attempt is stored under its idempotency key with its
/// outcome, and a repeat gets that outcome again.
class PaymentConfirmation
{
public:
    /// How long after its payment window a payment may still take released
    /// seats again. Providers send reports late (retries over hours, even
    /// days): a seat let go long ago belongs to the pool, not to a payment
    /// that turns up now.
    static constexpr qint64 LateGraceSeconds = 3600;

    /// \a actor is who reported the payment, for the audit trail.
    PaymentConfirmation(
        QSqlDatabase db, const Clock &clock, AuditActor actor = AuditActor::system());

    /// \a key is the caller's idempotency key; \a amount and \a reference
    /// are what the payment provider reported.
    Confirmation confirm(const QString &paymentId, const QString &key, qint64 amount,
        const QString &reference) const;

private:
    Confirmation settle(const QString &paymentId, qint64 amount, const QString &reference) const;
    Confirmation sell(const QString &paymentId, const QString &orderId, qint64 expected,
        const QString &reference, const QDateTime &paymentEnds) const;
    /// Whether released holds of \a orderId may be taken again now.
    bool mayRetake(const QString &orderId, const QDateTime &paymentEnds) const;
    Confirmation refuse(const QString &paymentId, const QString &orderId, const QString &reference,
        const QStringList &gone, const QStringList &goneSeats) const;

    QSqlDatabase m_db;
    const Clock &m_clock;
    AuditActor m_actor;
};

} // namespace Marquee
