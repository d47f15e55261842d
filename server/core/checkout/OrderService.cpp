#include "OrderService.h"

#include "Clock.h"
#include "EventWrites.h"
#include "HoldService.h"
#include "Sql.h"

namespace Marquee {

OrderService::OrderService(QSqlDatabase db, const Clock &clock, AuditActor actor)
    : m_db(std::move(db))
    , m_clock(clock)
    , m_actor(std::move(actor))
{
}

std::optional<OrderService::Order> OrderService::find(const QString &orderId) const
{
    Sql::Rows query = Sql::exec(m_db,
        QStringLiteral(
            "SELECT o.id, o.cart_id, o.state, o.channel, o.total, o.currency, o.created_at,"
            " p.id, p.state, o.buyer_name, o.buyer_email"
            " FROM orders o LEFT JOIN payments p ON p.order_id = o.id"
            " WHERE o.id = ?"),
        {orderId});
    if (!query.next())
        return std::nullopt;
    Order order{query.value(0).toString(), query.value(1).toString(), query.value(2).toString(),
        query.value(3).toString(), query.value(4).toLongLong(), query.value(5).toString(),
        isoUtc(Sql::time(query.value(6))), {}, query.value(7).toString(), query.value(8).toString(),
        query.value(9).toString(), query.value(10).toString()};
    Sql::Rows lines = Sql::exec(m_db,
        QStringLiteral(
            "SELECT e.slug, s.label, l.category_code, l.price, l.code, e.name, v.name,"
            " e.starts_at, e.time_zone, c.name, l.state, l.redeemed_at FROM order_lines l"
            " JOIN events e ON e.id = l.event_id JOIN venues v ON v.id = e.venue_id"
            " LEFT JOIN seats s ON s.id = l.seat_id"
            " LEFT JOIN price_categories c ON c.event_id = l.event_id AND c.code = l.category_code"
            " WHERE l.order_id = ? ORDER BY l.id"),
        {orderId});
    while (lines.next()) {
        SaleService::Ticket::Details details{lines.value(5).toString(), lines.value(6).toString(),
            Sql::time(lines.value(7)), lines.value(8).toString(), lines.value(9).toString(),
            lines.value(10).toString(),
            lines.value(11).isNull() ? QDateTime() : Sql::time(lines.value(11))};
        order.tickets.append(
            {lines.value(0).toString(), lines.value(1).toString(), lines.value(2).toString(),
                lines.value(3).toLongLong(), lines.value(4).toString(), std::move(details)});
    }
    return order;
}

OrderService::Outcome OrderService::refund(
    const QString &orderId, std::optional<qint64> maxTotal) const
{
    Transaction transaction(m_db);
    // The lock order: payment, order, then the events at the flush.
    lockPaymentAndOrder(orderId);
    Sql::Rows order = Sql::exec(
        m_db, QStringLiteral("SELECT state, total FROM orders WHERE id = ?"), {orderId});
    if (!order.next())
        return {};
    const QString state = order.value(0).toString();
    if (state != QLatin1String("paid"))
        return {Outcome::Status::WrongState, state, {}};
    if (maxTotal && order.value(1).toLongLong() > *maxTotal)
        return {Outcome::Status::OverLimit, state, {}};
    // Someone sits in that seat: selling it again would seat two people.
    if (!Sql::scalar(m_db,
            QStringLiteral(
                "SELECT id FROM order_lines WHERE order_id = ? AND redeemed_at IS NOT NULL"
                " LIMIT 1"),
            {orderId})
             .isNull())
        return {Outcome::Status::CheckedIn, state, {}};

    EventWrites writes(m_db);
    // Seats: their sold claims go, so they are available again.
    Sql::Rows seats = Sql::exec(m_db,
        QStringLiteral("SELECT s.event_id, e.slug, s.label FROM seat_claims c"
                       " JOIN seats s ON s.id = c.seat_id JOIN events e ON e.id = s.event_id"
                       " WHERE c.order_id = ? AND c.kind = 'sold' ORDER BY s.id"),
        {orderId});
    while (seats.next())
        writes.seat(seats.value(0).toLongLong(), seats.value(1).toString(),
            seats.value(2).toString(), SeatState::Available);
    Sql::exec(m_db, QStringLiteral("DELETE FROM seat_claims WHERE order_id = ? AND kind = 'sold'"),
        {orderId});

    // General admission: the order's places go back.
    Sql::Rows places = Sql::exec(m_db,
        QStringLiteral("SELECT l.event_id, e.slug, COUNT(*) FROM order_lines l"
                       " JOIN events e ON e.id = l.event_id"
                       " WHERE l.order_id = ? AND l.seat_id IS NULL GROUP BY l.event_id, e.slug"),
        {orderId});
    while (places.next())
        writes.places(
            places.value(0).toLongLong(), places.value(1).toString(), 0, -places.value(2).toInt());

    Sql::exec(m_db, QStringLiteral("UPDATE orders SET state = 'refunded' WHERE id = ?"), {orderId});
    // A refunded ticket no longer opens the door.
    Sql::exec(m_db, QStringLiteral("UPDATE order_lines SET state = 'revoked' WHERE order_id = ?"),
        {orderId});
    // The money goes back through the provider after the commit; until it
    // accepts, the payment is refund_due (a cash sale has no payment).
    const int refundsDue = Sql::exec(m_db,
        QStringLiteral(
            "UPDATE payments SET state = 'refund_due' WHERE order_id = ? AND state = 'confirmed'"),
        {orderId})
                               .numRowsAffected();
    Outcome outcome{Outcome::Status::Done, QStringLiteral("refunded"), writes.flush(), refundsDue};
    QJsonObject details{{QStringLiteral("total"), order.value(1).toLongLong()}};
    const QString event = AuditLog::eventOf(outcome.changes, &details);
    AuditLog(m_db, m_clock)
        .record(m_actor, QStringLiteral("order.refund"), orderId, event, details);
    transaction.commit(outcome.changes);
    return outcome;
}

void OrderService::lockPaymentAndOrder(const QString &orderId) const
{
    // Payment before order, as a confirmation takes them: two servers
    // refunding, voiding and confirming one order wait for each other
    // instead of deadlocking.
    Sql::exec(m_db,
        QStringLiteral("SELECT id FROM payments WHERE order_id = ? ORDER BY id")
            + Sql::lockClause(m_db),
        {orderId});
    Sql::exec(m_db, QStringLiteral("SELECT id FROM orders WHERE id = ?") + Sql::lockClause(m_db),
        {orderId});
}

OrderService::Outcome OrderService::voidPending(const QString &orderId) const
{
    Transaction transaction(m_db);
    lockPaymentAndOrder(orderId);
    const QVariant state
        = Sql::scalar(m_db, QStringLiteral("SELECT state FROM orders WHERE id = ?"), {orderId});
    if (state.isNull())
        return {};
    if (state.toString() != QLatin1String("pending"))
        return {Outcome::Status::WrongState, state.toString(), {}};

    EventWrites writes(m_db);
    HoldService(m_db, m_clock, HoldRules{}).releaseOrderHolds(orderId, writes);
    Sql::exec(m_db, QStringLiteral("UPDATE orders SET state = 'void' WHERE id = ?"), {orderId});
    Sql::exec(m_db,
        QStringLiteral(
            "UPDATE payments SET state = 'failed' WHERE order_id = ? AND state = 'pending'"),
        {orderId});
    Outcome outcome{Outcome::Status::Done, QStringLiteral("void"), writes.flush()};
    QJsonObject details;
    const QString event = AuditLog::eventOf(outcome.changes, &details);
    AuditLog(m_db, m_clock).record(m_actor, QStringLiteral("order.void"), orderId, event, details);
    transaction.commit(outcome.changes);
    return outcome;
}

} // namespace Marquee
