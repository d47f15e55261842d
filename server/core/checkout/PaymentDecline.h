#pragma once

#include "AuditLog.h"

#include <QSqlDatabase>
#include <QString>

namespace Marquee {

class Clock;

/// The provider says the buyer declined or the card was refused: the
/// payment fails, its order is voided, and the holds go back to the cart as
/// they were (still held until they run out), so the buyer can try again.
class PaymentDecline
{
public:
    struct Outcome
    {
        enum class Result
        {
            Declined, ///< now, or by an earlier report of the same decline
            AlreadyFinal, ///< confirmed, refunded or to be refunded: nothing changes
            UnknownPayment
        };
        Result result = Result::UnknownPayment;
        QString order;
        QString state; ///< the payment's state afterwards
    };

    PaymentDecline(QSqlDatabase db, const Clock &clock, AuditActor actor);

    Outcome decline(const QString &paymentId) const;

private:
    QSqlDatabase m_db;
    const Clock &m_clock;
    AuditActor m_actor;
};

} // namespace Marquee
