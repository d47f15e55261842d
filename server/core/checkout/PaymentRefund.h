#pragma once

#include "AuditLog.h"

#include <QSqlDatabase>
#include <QString>

namespace Marquee {

class Clock;

/// The provider gave back a payment that was marked for refund (it came
/// after its seats were gone, or for a cancelled order).
class PaymentRefund
{
public:
    /// True when \a paymentId was refund_due and is refunded now.
    static bool markRefunded(const QSqlDatabase &db, const Clock &clock, const AuditActor &actor,
        const QString &paymentId);
};

} // namespace Marquee
