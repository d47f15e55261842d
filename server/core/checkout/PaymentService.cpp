#include "PaymentService.h"

#include "AuditLog.h"
#include "CartService.h"
#include "Clock.h"
#include "EventWrites.h"
#include "HoldService.h"
#include "Sql.h"
#include "Tokens.h"

#include <QCoreApplication>
#include <QMap>
#include <QSet>

namespace Marquee {

PaymentService::PaymentService(QSqlDatabase db, const Clock &clock, PaymentRules rules)
    : m_db(std::move(db))
    , m_clock(clock)
    , m_rules(rules)
{
}

QString PaymentService::cartOf(const QString &paymentId) const
{
    return Sql::scalar(m_db,
        QStringLiteral("SELECT o.cart_id FROM payments p JOIN orders o ON o.id = p.order_id"
                       " WHERE p.id = ?"),
        {paymentId})
        .toString();
}

std::optional<PaymentService::Summary> PaymentService::summary(const QString &paymentId) const
{
    Sql::Rows found = Sql::exec(m_db,
        QStringLiteral("SELECT p.id, p.order_id, p.amount, p.currency, p.expires_at, p.provider,"
                       " o.buyer_email, p.state, o.buyer_name FROM payments p"
                       " JOIN orders o ON o.id = p.order_id WHERE p.id = ?"),
        {paymentId});
    if (!found.next())
        return std::nullopt;
    Summary summary;
    summary.payment = Payment{found.value(0).toString(), found.value(1).toString(),
        found.value(2).toLongLong(), found.value(3).toString(), Sql::time(found.value(4)),
        found.value(5).toString(), found.value(6).toString()};
    summary.state = found.value(7).toString();
    summary.buyerName = found.value(8).toString();
    // What the order covers: its holds' seats, or its places.
    Sql::Rows holds = Sql::exec(m_db,
        QStringLiteral("SELECT e.name, h.quantity, s.label FROM holds h"
                       " JOIN events e ON e.id = h.event_id"
                       " LEFT JOIN hold_seats hs ON hs.hold_id = h.id"
                       " LEFT JOIN seats s ON s.id = hs.seat_id"
                       " WHERE h.order_id = ? ORDER BY e.name, h.id, s.id"),
        {summary.payment.order});
    QMap<QString, QStringList> seats;
    QMap<QString, int> places;
    while (holds.next()) {
        const QString event = holds.value(0).toString();
        if (holds.value(2).isNull())
            places[event] += holds.value(1).toInt();
        else
            seats[event].append(holds.value(2).toString());
    }
    for (auto it = seats.cbegin(); it != seats.cend(); ++it)
        summary.lines.append(
            it.key() + QStringLiteral(": ") + it.value().join(QStringLiteral(", ")));
    for (auto it = places.cbegin(); it != places.cend(); ++it)
        summary.lines.append(
            QCoreApplication::translate("PaymentService", "%1: %n place(s)", nullptr, it.value())
                .arg(it.key()));
    return summary;
}

PaymentService::StartOutcome PaymentService::start(
    const QString &cartId, const Buyer &buyer, const QString &provider) const
{
    Transaction transaction(m_db);
    CartService::lock(m_db, cartId);
    const QDateTime now = m_clock.now();

    // Every hold of the cart that is not in a payment yet, locked (after the
    // cart, in id order). Those whose time ran out but which the timer has
    // not reached yet are lost: released now, in this transaction, and
    // reported.
    StartOutcome outcome;
    Sql::Rows free = Sql::exec(m_db,
        QStringLiteral("SELECT h.id, h.total, e.currency, h.expires_at FROM holds h"
                       " JOIN events e ON e.id = h.event_id"
                       " WHERE h.cart_id = ? AND h.state = 'live' AND h.order_id IS NULL"
                       " ORDER BY h.id")
            + Sql::lockClause(m_db, u" FOR UPDATE OF h"),
        {cartId});
    QSet<QString> currencies;
    qint64 amount = 0;
    QStringList ids;
    while (free.next()) {
        if (Sql::time(free.value(3)) <= now) {
            outcome.lostHolds.append(free.value(0).toString());
            continue;
        }
        ids.append(free.value(0).toString());
        amount += free.value(1).toLongLong();
        currencies.insert(free.value(2).toString());
    }
    if (!outcome.lostHolds.isEmpty()) {
        const HoldService holds(m_db, m_clock, HoldRules{});
        EventWrites writes(m_db);
        for (const QString &id : std::as_const(outcome.lostHolds))
            holds.releaseLocked(id, writes);
        outcome.changes = writes.flush();
        outcome.status = StartOutcome::Status::HoldLost;
        transaction.commit(outcome.changes);
        return outcome;
    }

    if (ids.isEmpty()) {
        // A repeated payment start (the first answer got lost) gets the
        // payment that is already waiting.
        if (const auto waiting = pendingPayment(cartId)) {
            outcome.status = StartOutcome::Status::Started;
            outcome.payment = *waiting;
        }
        return outcome;
    }
    if (currencies.size() > 1) {
        outcome.status = StartOutcome::Status::MixedCurrencies;
        return outcome;
    }

    outcome.payment = createPayment(cartId, ids, amount, *currencies.cbegin(), buyer, provider);
    outcome.status = StartOutcome::Status::Started;
    AuditLog(m_db, m_clock)
        .record({QStringLiteral("cart:") + cartId, {}}, QStringLiteral("payment.start"),
            outcome.payment.id, {},
            {{QStringLiteral("order"), outcome.payment.order}, {QStringLiteral("amount"), amount}});
    transaction.commit();
    return outcome;
}

PaymentService::Payment PaymentService::createPayment(const QString &cartId,
    const QStringList &holdIds, qint64 amount, const QString &currency, const Buyer &buyer,
    const QString &provider) const
{
    const QDateTime now = m_clock.now();
    Payment payment;
    payment.currency = currency;
    payment.amount = amount;
    payment.expiresAt = now.addSecs(m_rules.paymentSeconds);
    payment.order = SaleService(m_db, m_clock)
                        .createOrder(cartId, QStringLiteral("online"), QStringLiteral("card"),
                            currency, QStringLiteral("pending"), amount);
    payment.id = Tokens::newId(u"p");
    payment.provider = provider;
    payment.buyerEmail = buyer.email;
    Sql::exec(m_db,
        QStringLiteral("UPDATE orders SET buyer_name = ?, buyer_email = ? WHERE id = ?"),
        {buyer.name.trimmed(), buyer.email, payment.order});
    Sql::exec(m_db,
        QStringLiteral("INSERT INTO payments (id, order_id, amount, currency, state, created_at,"
                       " expires_at, provider) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)"),
        {payment.id, payment.order, amount, currency, isoUtc(now), isoUtc(payment.expiresAt),
            provider});
    for (const QString &id : holdIds) {
        // The hold now covers the payment window; it never gets shorter.
        // Each extension counts as a renewal, and a hold renewed to the
        // limit gets one more, for this payment, and no further: checkout
        // and decline in a loop must not keep seats off sale for ever.
        Sql::exec(m_db,
            QStringLiteral(
                "UPDATE holds SET order_id = ?,"
                " expires_at = CASE WHEN expires_at < ? AND renewals <= ? THEN ?"
                " ELSE expires_at END,"
                " renewals = CASE WHEN expires_at < ? AND renewals <= ? THEN renewals + 1"
                " ELSE renewals END WHERE id = ?"),
            {payment.order, isoUtc(payment.expiresAt), HoldRules{}.maxRenewals,
                isoUtc(payment.expiresAt), isoUtc(payment.expiresAt), HoldRules{}.maxRenewals, id});
    }
    return payment;
}

std::optional<PaymentService::Payment> PaymentService::pendingPayment(const QString &cartId) const
{
    Sql::Rows query = Sql::exec(m_db,
        QStringLiteral("SELECT p.id, p.order_id, p.amount, p.currency, p.expires_at, p.provider,"
                       " o.buyer_email FROM payments p"
                       " JOIN orders o ON o.id = p.order_id"
                       " WHERE o.cart_id = ? AND o.state = 'pending' AND p.state = 'pending'"
                       " AND p.expires_at > ? ORDER BY p.created_at DESC, p.id LIMIT 1"),
        {cartId, isoUtc(m_clock.now())});
    if (!query.next())
        return std::nullopt;
    return Payment{query.value(0).toString(), query.value(1).toString(),
        query.value(2).toLongLong(), query.value(3).toString(), Sql::time(query.value(4)),
        query.value(5).toString(), query.value(6).toString()};
}

} // namespace Marquee
