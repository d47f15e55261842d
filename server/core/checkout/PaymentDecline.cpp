#include "PaymentDecline.h"

#include "CartService.h"
#include "Clock.h"
#include "Sql.h"

namespace Marquee {

PaymentDecline::PaymentDecline(QSqlDatabase db, const Clock &clock, AuditActor actor)
    : m_db(std::move(db))
    , m_clock(clock)
    , m_actor(std::move(actor))
{
}

PaymentDecline::Outcome PaymentDecline::decline(const QString &paymentId) const
{
    Transaction transaction(m_db);
    Outcome outcome;
    QString cart;
    {
        // Read and let go: no statement stays open into the COMMIT.
        Sql::Rows found = Sql::exec(m_db,
            QStringLiteral("SELECT p.order_id, o.cart_id FROM payments p"
                           " JOIN orders o ON o.id = p.order_id WHERE p.id = ?"),
            {paymentId});
        if (!found.next())
            return outcome;
        outcome.order = found.value(0).toString();
        cart = found.value(1).toString();
    }
    // The lock order: the cart (its holds come back to it), the payment,
    // the order, the holds.
    if (!cart.isEmpty())
        CartService::lock(m_db, cart);
    outcome.state = Sql::scalar(m_db,
        QStringLiteral("SELECT state FROM payments WHERE id = ?") + Sql::lockClause(m_db),
        {paymentId})
                        .toString();
    if (outcome.state == QLatin1String("failed")) {
        outcome.result = Outcome::Result::Declined;
        return outcome;
    }
    if (outcome.state != QLatin1String("pending")) {
        outcome.result = Outcome::Result::AlreadyFinal;
        return outcome;
    }
    Sql::exec(
        m_db, QStringLiteral("UPDATE payments SET state = 'failed' WHERE id = ?"), {paymentId});
    Sql::exec(m_db,
        QStringLiteral("UPDATE orders SET state = 'void' WHERE id = ? AND state = 'pending'"),
        {outcome.order});
    // Still live holds return to the cart; their time is what payment start
    // made it (never shorter than the payment window was).
    Sql::exec(m_db,
        QStringLiteral("UPDATE holds SET order_id = NULL WHERE order_id = ? AND state = 'live'"),
        {outcome.order});
    AuditLog(m_db, m_clock)
        .record(m_actor, QStringLiteral("payment.decline"), paymentId, {},
            {{QStringLiteral("order"), outcome.order}});
    transaction.commit();
    outcome.result = Outcome::Result::Declined;
    outcome.state = QStringLiteral("failed");
    return outcome;
}

} // namespace Marquee
