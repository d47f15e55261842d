#include "PaymentConfirmation.h"

#include "Clock.h"
#include "EventWrites.h"
#include "HoldService.h"
#include "Sql.h"
#include "Tokens.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Marquee {

namespace {

using Result = Confirmation::Result;

const QList<std::pair<Result, QLatin1String>> &resultNames()
{
    static const QList<std::pair<Result, QLatin1String>> names{
        {Result::Paid, QLatin1String("paid")},
        {Result::AmountMismatch, QLatin1String("amount_mismatch")},
        {Result::AlreadyFinal, QLatin1String("already_final")},
        {Result::OrderCancelled, QLatin1String("order_cancelled")},
        {Result::HoldLost, QLatin1String("hold_lost")},
    };
    return names;
}

QList<SaleService::Ticket> ticketsFromJson(const QJsonArray &array)
{
    QList<SaleService::Ticket> tickets;
    for (const QJsonValue &value : array) {
        const QJsonObject ticket = value.toObject();
        tickets.append({ticket.value(QLatin1String("event")).toString(),
            ticket.value(QLatin1String("seat")).toString(),
            ticket.value(QLatin1String("category")).toString(),
            ticket.value(QLatin1String("price")).toInteger(),
            ticket.value(QLatin1String("code")).toString(), std::nullopt});
    }
    return tickets;
}

} // namespace

QByteArray Confirmation::encode() const
{
    QString name;
    for (const auto &[known, text] : resultNames()) {
        if (known == result)
            name = text;
    }
    return QJsonDocument(
        QJsonObject{{QStringLiteral("result"), name}, {QStringLiteral("order"), order},
            {QStringLiteral("total"), total},
            {QStringLiteral("tickets"), SaleService::ticketsJson(tickets)},
            {QStringLiteral("expected"), expected}, {QStringLiteral("state"), state},
            {QStringLiteral("gone"), QJsonArray::fromStringList(gone)},
            {QStringLiteral("goneSeats"), QJsonArray::fromStringList(goneSeats)},
            {QStringLiteral("retaken"), retaken}, {QStringLiteral("tooLate"), tooLate}})
        .toJson(QJsonDocument::Compact);
}

Confirmation Confirmation::decode(const QByteArray &stored)
{
    const QJsonObject object = QJsonDocument::fromJson(stored).object();
    Confirmation confirmation;
    const QString name = object.value(QLatin1String("result")).toString();
    for (const auto &[known, text] : resultNames()) {
        if (text == name)
            confirmation.result = known;
    }
    confirmation.order = object.value(QLatin1String("order")).toString();
    confirmation.total = object.value(QLatin1String("total")).toInteger();
    confirmation.tickets = ticketsFromJson(object.value(QLatin1String("tickets")).toArray());
    confirmation.expected = object.value(QLatin1String("expected")).toInteger();
    confirmation.state = object.value(QLatin1String("state")).toString();
    confirmation.retaken = object.value(QLatin1String("retaken")).toBool();
    confirmation.tooLate = object.value(QLatin1String("tooLate")).toBool();
    for (const QJsonValue &value : object.value(QLatin1String("gone")).toArray())
        confirmation.gone.append(value.toString());
    for (const QJsonValue &value : object.value(QLatin1String("goneSeats")).toArray())
        confirmation.goneSeats.append(value.toString());
    return confirmation;
}

PaymentConfirmation::PaymentConfirmation(QSqlDatabase db, const Clock &clock, AuditActor actor)
    : m_db(std::move(db))
    , m_clock(clock)
    , m_actor(std::move(actor))
{
}

Confirmation PaymentConfirmation::confirm(
    const QString &paymentId, const QString &key, qint64 amount, const QString &reference) const
{
    Transaction transaction(m_db);
    // One confirmation of a payment at a time, across servers: the second
    // waits here and then finds the first one's key or state.
    Sql::exec(m_db, QStringLiteral("SELECT id FROM payments WHERE id = ?") + Sql::lockClause(m_db),
        {paymentId});
    const QString requestHash
        = Tokens::hash(paymentId + u'\n' + QString::number(amount) + u'\n' + reference);

    Sql::Rows previous = Sql::exec(m_db,
        QStringLiteral("SELECT payment_id, request_hash, outcome, status, response"
                       " FROM payment_confirmations WHERE idempotency_key = ?"),
        {key});
    if (previous.next()) {
        if (previous.value(0).toString() != paymentId
            || previous.value(1).toString() != requestHash) {
            Confirmation reused;
            reused.result = Result::KeyReused;
            return reused;
        }
        const QString stored = previous.value(2).toString();
        Confirmation again;
        if (stored.isEmpty()) {
            again.result = Result::StoredAnswer;
            again.storedStatus = previous.value(3).toInt();
            again.storedAnswer = previous.value(4).toString().toUtf8();
        } else {
            again = Confirmation::decode(stored.toUtf8());
        }
        again.replayed = true;
        return again;
    }

    Confirmation outcome = settle(paymentId, amount, reference);
    if (outcome.result == Result::UnknownPayment)
        return outcome; // nothing to remember for a payment that does not exist
    // status and response are the columns of the first schema (the HTTP
    // answer); outcome replaces them.
    Sql::Rows stored = Sql::exec(m_db,
        QStringLiteral("INSERT INTO payment_confirmations"
                       " (idempotency_key, payment_id, request_hash, status, response, outcome,"
                       " took_effect, created_at) VALUES (?, ?, ?, 0, '', ?, ?, ?)"
                       " ON CONFLICT (idempotency_key) DO NOTHING"),
        {key, paymentId, requestHash, QString::fromUtf8(outcome.encode()),
            outcome.tookEffect() ? 1 : 0, isoUtc(m_clock.now())});
    if (stored.numRowsAffected() != 1) {
        // The same key for another payment, confirmed at this very moment
        // (each locked its own payment row): this one did nothing after all.
        Confirmation reused;
        reused.result = Result::KeyReused;
        return reused; // the transaction rolls back
    }
    QJsonObject details{{QStringLiteral("order"), outcome.order},
        {QStringLiteral("amount"), amount}, {QStringLiteral("reference"), reference},
        {QStringLiteral("paid"), outcome.result == Result::Paid}};
    const QString event = AuditLog::eventOf(outcome.changes, &details);
    AuditLog(m_db, m_clock)
        .record(m_actor, QStringLiteral("payment.confirm"), paymentId, event, details);
    transaction.commit(outcome.changes);
    return outcome;
}

Confirmation PaymentConfirmation::settle(
    const QString &paymentId, qint64 amount, const QString &reference) const
{
    Sql::Rows payment = Sql::exec(m_db,
        QStringLiteral("SELECT order_id, amount, state, expires_at FROM payments WHERE id = ?"),
        {paymentId});
    Confirmation outcome;
    if (!payment.next())
        return outcome;
    const QString orderId = payment.value(0).toString();
    const qint64 expected = payment.value(1).toLongLong();
    const QString state = payment.value(2).toString();
    outcome.order = orderId;
    if (state == QLatin1String("failed")) {
        // The order was voided while the customer paid: the money came in
        // for nothing and must go back.
        Sql::exec(m_db,
            QStringLiteral("UPDATE payments SET state = 'refund_due', reference = ? WHERE id = ?"),
            {reference, paymentId});
        outcome.result = Result::OrderCancelled;
        outcome.state = QStringLiteral("refund_due");
        return outcome;
    }
    if (state != QLatin1String("pending")) {
        outcome.result = Result::AlreadyFinal;
        outcome.state = state;
        return outcome;
    }
    if (amount != expected) {
        outcome.result = Result::AmountMismatch;
        outcome.expected = expected;
        return outcome;
    }
    return sell(paymentId, orderId, expected, reference, Sql::time(payment.value(3)));
}

bool PaymentConfirmation::mayRetake(const QString &orderId, const QDateTime &paymentEnds) const
{
    const QDateTime now = m_clock.now();
    if (now > paymentEnds.addSecs(LateGraceSeconds))
        return false;
    // Nobody buys a seat for a show that has begun.
    Sql::Rows starts = Sql::exec(m_db,
        QStringLiteral("SELECT DISTINCT e.starts_at FROM holds h JOIN events e ON e.id = h.event_id"
                       " WHERE h.order_id = ?"),
        {orderId});
    while (starts.next()) {
        if (Sql::time(starts.value(0)) <= now)
            return false;
    }
    return true;
}

Confirmation PaymentConfirmation::sell(const QString &paymentId, const QString &orderId,
    qint64 expected, const QString &reference, const QDateTime &paymentEnds) const
{
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
    if (!released.isEmpty() && !mayRetake(orderId, paymentEnds)) {
        Confirmation late = refuse(paymentId, orderId, reference, {}, {});
        late.tooLate = true;
        return late;
    }
    sales.lockSeatsOfHolds(released);

    Confirmation outcome;
    QStringList goneSeats;
    EventWrites writes(m_db);
    // A savepoint, so that a payment refused halfway leaves no ticket behind.
    Sql::exec(m_db, QStringLiteral("SAVEPOINT settle"));
    for (const SaleService::HoldRef &hold : holds) {
        if (hold.state == QLatin1String("live")) {
            // Still claimed by this hold (even if its time just ran out and
            // the timer has not released it): nobody else can have it.
            sales.sellHold(orderId, hold, &outcome.tickets, writes);
        } else if (hold.state == QLatin1String("released")) {
            QStringList taken;
            if (!sales.resellReleasedHold(orderId, hold, &outcome.tickets, writes, &taken)) {
                outcome.gone.append(taken.join(QStringLiteral(", ")));
                goneSeats.append(taken);
            } else {
                outcome.retaken = true;
            }
        }
    }
    if (outcome.gone.isEmpty()) {
        QStringList full; // GA events whose places went elsewhere meanwhile
        outcome.changes = writes.flush(&full);
        outcome.gone = full;
    }
    for (const SaleService::Ticket &ticket : std::as_const(outcome.tickets))
        outcome.total += ticket.price;
    // What would be sold must be what was paid for; tickets are priced as
    // their holds recorded, so this differs only if the data is damaged.
    if (!outcome.gone.isEmpty() || outcome.tickets.isEmpty() || outcome.total != expected) {
        Sql::exec(m_db, QStringLiteral("ROLLBACK TO SAVEPOINT settle"));
        return refuse(paymentId, orderId, reference, outcome.gone, goneSeats);
    }
    Sql::exec(m_db, QStringLiteral("RELEASE SAVEPOINT settle"));
    Sql::exec(m_db, QStringLiteral("UPDATE orders SET state = 'paid', total = ? WHERE id = ?"),
        {outcome.total, orderId});
    Sql::exec(m_db,
        QStringLiteral("UPDATE payments SET state = 'confirmed', reference = ? WHERE id = ?"),
        {reference, paymentId});
    outcome.result = Result::Paid;
    outcome.order = orderId;
    return outcome;
}

Confirmation PaymentConfirmation::refuse(const QString &paymentId, const QString &orderId,
    const QString &reference, const QStringList &gone, const QStringList &goneSeats) const
{
    // The money came in but the seats did not stay: sell nothing, give back
    // what the order still holds, and leave the payment marked for refund.
    Confirmation outcome;
    outcome.result = Result::HoldLost;
    outcome.order = orderId;
    outcome.gone = gone;
    outcome.goneSeats = goneSeats;
    EventWrites writes(m_db);
    HoldService(m_db, m_clock, HoldRules{}).releaseOrderHolds(orderId, writes);
    outcome.changes = writes.flush();
    Sql::exec(m_db, QStringLiteral("UPDATE orders SET state = 'void' WHERE id = ?"), {orderId});
    Sql::exec(m_db,
        QStringLiteral("UPDATE payments SET state = 'refund_due', reference = ? WHERE id = ?"),
        {reference, paymentId});
    return outcome;
}

} // namespace Marquee
