#pragma once

#include "AuditLog.h"
#include "AvailabilityChange.h"
#include "SaleService.h"

#include <QSqlDatabase>
#include <optional>

namespace Marquee {

class Clock;

/// Reads orders and undoes them: a refund returns a paid order's seats and
/// places to the pool; a void ends a pending order whose payment never came.
class OrderService
{
public:
    struct Order
    {
        QString id;
        QString cart;
        QString state;
        QString channel;
        qint64 total = 0;
        QString currency;
        QString createdAt;
        QList<SaleService::Ticket> tickets;
        QString payment; ///< payment id, if paid online
        QString paymentState; ///< pending, confirmed, failed, refund_due, refunded
        QString buyerName; ///< online orders
        QString buyerEmail;
    };

    struct Outcome
    {
        enum class Status
        {
            Done,
            UnknownOrder,
            WrongState,
            OverLimit, ///< the order's total is above what this refund may return
            CheckedIn ///< a ticket of it got in at the door: its seat is not for sale again
        };
        Status status = Status::UnknownOrder;
        QString state; ///< the order's state afterwards (or as found)
        AvailabilityChanges changes;
        /// Payments this made refund_due: their providers are to be asked
        /// for the money (PendingRefunds), after the commit.
        int refundsDue = 0;
    };

    OrderService(QSqlDatabase db, const Clock &clock, AuditActor actor = AuditActor::system());

    std::optional<Order> find(const QString &orderId) const;
    /// Refunds a paid order whose total is at most \a maxTotal (no limit
    /// when nullopt); above it, nothing changes.
    Outcome refund(const QString &orderId, std::optional<qint64> maxTotal = std::nullopt) const;
    Outcome voidPending(const QString &orderId) const;

private:
    void lockPaymentAndOrder(const QString &orderId) const;

    QSqlDatabase m_db;
    const Clock &m_clock;
    AuditActor m_actor;
};

} // namespace Marquee
