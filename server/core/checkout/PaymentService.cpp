#include "PaymentService.h"

#include "CartService.h"
#include "Clock.h"
#include "EventWrites.h"
#include "HoldService.h"
#include "Sql.h"
#include "Tokens.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace Marquee {

namespace {

QByteArray errorBody(const QString &code, const QString &message, QJsonObject extra = {})
{
    extra.insert(QStringLiteral("error"), code);
    extra.insert(QStringLiteral("message"), message);
    return QJsonDocument(extra).toJson(QJsonDocument::Compact);
}

} // namespace

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

PaymentService::StartOutcome PaymentService::start(const QString &cartId) const
{
    Transaction transaction(m_db);
    CartService::lock(m_db, cartId);
    const QDateTime now = m_clock.now();
    const SaleService sales(m_db, m_clock);

    // Every hold of the cart that is not in a payment yet, locked (after the
    // cart, in id order). Those whose time ran out but which the timer has
    // not reached yet are lost: released now, in this transaction, and
    // reported.
    StartOutcome outcome;
    QSqlQuery free = Sql::exec(m_db,
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

    Payment &payment = outcome.payment;
    payment.currency = *currencies.cbegin();
    payment.amount = amount;
    payment.expiresAt = now.addSecs(m_rules.paymentSeconds);
    payment.order = sales.createOrder(cartId, QStringLiteral("online"), QStringLiteral("card"),
        payment.currency, QStringLiteral("pending"), amount);
    payment.id = Tokens::newId(u"p");
    Sql::exec(m_db,
        QStringLiteral(
            "INSERT INTO payments (id, order_id, amount, currency, state, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, 'pending', ?, ?)"),
        {payment.id, payment.order, amount, payment.currency, isoUtc(now),
            isoUtc(payment.expiresAt)});
    for (const QString &id : std::as_const(ids)) {
        // The hold now covers the payment window; it never gets shorter.
        Sql::exec(m_db,
            QStringLiteral(
                "UPDATE holds SET order_id = ?,"
                " expires_at = CASE WHEN expires_at < ? THEN ? ELSE expires_at END WHERE id = ?"),
            {payment.order, isoUtc(payment.expiresAt), isoUtc(payment.expiresAt), id});
    }
    outcome.status = StartOutcome::Status::Started;
    transaction.commit();
    return outcome;
}

PaymentService::ConfirmOutcome PaymentService::confirm(
    const QString &paymentId, const QString &key, qint64 amount, const QString &reference) const
{
    Transaction transaction(m_db);
    // One confirmation of a payment at a time, across servers: the second
    // waits here and then finds the first one's key or state.
    Sql::exec(m_db, QStringLiteral("SELECT id FROM payments WHERE id = ?") + Sql::lockClause(m_db),
        {paymentId});
    const QString requestHash
        = Tokens::hash(paymentId + u'\n' + QString::number(amount) + u'\n' + reference);

    QSqlQuery previous = Sql::exec(m_db,
        QStringLiteral("SELECT payment_id, request_hash, status, response"
                       " FROM payment_confirmations WHERE idempotency_key = ?"),
        {key});
    if (previous.next()) {
        if (previous.value(0).toString() != paymentId
            || previous.value(1).toString() != requestHash) {
            return {422,
                errorBody(QStringLiteral("idempotency_mismatch"),
                    QStringLiteral("This idempotency key was used for another request.")),
                false, {}};
        }
        return {previous.value(2).toInt(), previous.value(3).toString().toUtf8(), true, {}};
    }

    ConfirmOutcome outcome = settle(paymentId, amount, reference);
    if (outcome.status == 404)
        return outcome; // nothing to remember for a payment that does not exist
    const bool tookEffect = outcome.status == 200;
    Sql::exec(m_db,
        QStringLiteral("INSERT INTO payment_confirmations"
                       " (idempotency_key, payment_id, request_hash, status, response, "
                       "took_effect, created_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)"),
        {key, paymentId, requestHash, outcome.status, QString::fromUtf8(outcome.body),
            tookEffect ? 1 : 0, isoUtc(m_clock.now())});
    transaction.commit(outcome.changes);
    return outcome;
}

PaymentService::ConfirmOutcome PaymentService::settle(
    const QString &paymentId, qint64 amount, const QString &reference) const
{
    QSqlQuery payment = Sql::exec(m_db,
        QStringLiteral("SELECT order_id, amount, state FROM payments WHERE id = ?"), {paymentId});
    if (!payment.next())
        return {404, errorBody(QStringLiteral("not_found"), QStringLiteral("No such payment.")),
            false, {}};
    const qint64 expected = payment.value(1).toLongLong();
    const QString orderId = payment.value(0).toString();
    const QString state = payment.value(2).toString();
    if (state == QLatin1String("failed")) {
        // The order was voided while the customer paid: the money came in
        // for nothing and must go back.
        Sql::exec(m_db,
            QStringLiteral("UPDATE payments SET state = 'refund_due', reference = ? WHERE id = ?"),
            {reference, paymentId});
        return {409,
            errorBody(QStringLiteral("conflict"),
                QStringLiteral("The order was cancelled; the payment will be refunded."),
                {{QStringLiteral("state"), QStringLiteral("refund_due")},
                    {QStringLiteral("refund"), true}}),
            false, {}};
    }
    if (state != QLatin1String("pending")) {
        return {409,
            errorBody(QStringLiteral("conflict"),
                QStringLiteral("This payment is already %1.").arg(state),
                {{QStringLiteral("state"), state}}),
            false, {}};
    }
    if (amount != expected) {
        return {409,
            errorBody(QStringLiteral("amount_mismatch"),
                QStringLiteral("The amount paid does not match the order."),
                {{QStringLiteral("expected"), expected}}),
            false, {}};
    }

    // The lock order after the payment: the order, its holds (id order),
    // the seats of the released ones (id order), the events (at the flush).
    Sql::exec(m_db, QStringLiteral("SELECT id FROM orders WHERE id = ?") + Sql::lockClause(m_db),
        {orderId});
    const SaleService sales(m_db, m_clock);
    const QList<SaleService::HoldRef> holds = sales.holdsOfOrder(orderId);
    QStringList released;
    for (const SaleService::HoldRef &hold : holds) {
        if (hold.state == QLatin1String("released"))
            released.append(hold.id);
    }
    sales.lockSeatsOfHolds(released);

    QList<SaleService::Ticket> tickets;
    QStringList gone; // for the message: seats, or a GA event's name
    QStringList goneSeats; // the seats alone
    EventWrites writes(m_db);
    // A savepoint, so that a payment refused halfway leaves no ticket behind.
    Sql::exec(m_db, QStringLiteral("SAVEPOINT settle"));
    for (const SaleService::HoldRef &hold : holds) {
        if (hold.state == QLatin1String("live")) {
            // Still claimed by this hold (even if its time just ran out and
            // the timer has not released it): nobody else can have it.
            sales.sellHold(orderId, hold, &tickets, writes);
        } else if (hold.state == QLatin1String("released")) {
            QStringList taken;
            if (!sales.resellReleasedHold(orderId, hold, &tickets, writes, &taken)) {
                gone.append(taken.join(QStringLiteral(", ")));
                goneSeats.append(taken);
            }
        }
    }
    ConfirmOutcome outcome;
    if (gone.isEmpty()) {
        QStringList full; // GA events whose places went elsewhere meanwhile
        outcome.changes = writes.flush(&full);
        gone = full;
    }
    qint64 total = 0;
    for (const SaleService::Ticket &ticket : std::as_const(tickets))
        total += ticket.price;
    // What would be sold must be what was paid for; tickets are priced as
    // their holds recorded, so this differs only if the data is damaged.
    if (!gone.isEmpty() || tickets.isEmpty() || total != expected) {
        Sql::exec(m_db, QStringLiteral("ROLLBACK TO SAVEPOINT settle"));
        return refuse(paymentId, orderId, reference, gone, goneSeats);
    }
    Sql::exec(m_db, QStringLiteral("RELEASE SAVEPOINT settle"));
    Sql::exec(m_db, QStringLiteral("UPDATE orders SET state = 'paid', total = ? WHERE id = ?"),
        {total, orderId});
    Sql::exec(m_db,
        QStringLiteral("UPDATE payments SET state = 'confirmed', reference = ? WHERE id = ?"),
        {reference, paymentId});
    outcome.status = 200;
    outcome.body = QJsonDocument(
        QJsonObject{{QStringLiteral("order"), orderId},
            {QStringLiteral("state"), QStringLiteral("paid")}, {QStringLiteral("total"), total},
            {QStringLiteral("tickets"), SaleService::ticketsJson(tickets)}})
                       .toJson(QJsonDocument::Compact);
    return outcome;
}

std::optional<PaymentService::Payment> PaymentService::pendingPayment(const QString &cartId) const
{
    QSqlQuery query = Sql::exec(m_db,
        QStringLiteral("SELECT p.id, p.order_id, p.amount, p.currency, p.expires_at FROM payments p"
                       " JOIN orders o ON o.id = p.order_id"
                       " WHERE o.cart_id = ? AND o.state = 'pending' AND p.state = 'pending'"
                       " AND p.expires_at > ? ORDER BY p.created_at DESC, p.id LIMIT 1"),
        {cartId, isoUtc(m_clock.now())});
    if (!query.next())
        return std::nullopt;
    return Payment{query.value(0).toString(), query.value(1).toString(),
        query.value(2).toLongLong(), query.value(3).toString(),
        Sql::time(query.value(4))};
}

PaymentService::ConfirmOutcome PaymentService::refuse(const QString &paymentId,
    const QString &orderId, const QString &reference, const QStringList &gone,
    const QStringList &goneSeats) const
{
    // The money came in but the seats did not stay: sell nothing, give back
    // what the order still holds, and leave the payment marked for refund.
    ConfirmOutcome outcome;
    EventWrites writes(m_db);
    HoldService(m_db, m_clock, HoldRules{}).releaseOrderHolds(orderId, writes);
    outcome.changes = writes.flush();
    Sql::exec(m_db, QStringLiteral("UPDATE orders SET state = 'void' WHERE id = ?"), {orderId});
    Sql::exec(m_db,
        QStringLiteral("UPDATE payments SET state = 'refund_due', reference = ? WHERE id = ?"),
        {reference, paymentId});
    outcome.status = 409;
    outcome.body = errorBody(QStringLiteral("hold_lost"),
        gone.isEmpty()
            ? QStringLiteral("The tickets no longer match the payment. Nothing was sold;"
                             " the payment will be refunded.")
            : QStringLiteral("The hold ran out and %1 was taken meanwhile. Nothing was sold;"
                             " the payment will be refunded.")
                  .arg(gone.join(QStringLiteral(", "))),
        {{QStringLiteral("refund"), true},
            {QStringLiteral("seats"), QJsonArray::fromStringList(goneSeats)}});
    return outcome;
}

} // namespace Marquee
