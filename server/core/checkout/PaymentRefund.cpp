#include "PaymentRefund.h"

#include "Sql.h"

namespace Marquee {

bool PaymentRefund::markRefunded(
    const QSqlDatabase &db, const Clock &clock, const AuditActor &actor, const QString &paymentId)
{
    Transaction transaction(db);
    const QVariant amount = Sql::scalar(db,
        QStringLiteral("SELECT amount FROM payments WHERE id = ? AND state = 'refund_due'")
            + Sql::lockClause(db),
        {paymentId});
    if (amount.isNull())
        return false;
    Sql::exec(
        db, QStringLiteral("UPDATE payments SET state = 'refunded' WHERE id = ?"), {paymentId});
    AuditLog(db, clock).record(actor, QStringLiteral("payment.refund"), paymentId, {},
        {{QStringLiteral("amount"), amount.toLongLong()}});
    transaction.commit();
    return true;
}

} // namespace Marquee
