#include "SaleService.h"

#include "CartService.h"
#include "Clock.h"
#include "EventWrites.h"
#include "Sql.h"
#include "Tokens.h"

#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace Marquee {

namespace {

const QString selectHolds
    = QStringLiteral("SELECT h.id, e.id, e.slug, e.kind, h.quantity, e.currency, h.state, h.total"
                     " FROM holds h JOIN events e ON e.id = h.event_id");

QList<SaleService::HoldRef> readHolds(Sql::Rows query)
{
    QList<SaleService::HoldRef> holds;
    while (query.next()) {
        holds.append(
            {query.value(0).toString(), query.value(1).toLongLong(), query.value(2).toString(),
                query.value(3).toString() == QLatin1String("seated"), query.value(4).toInt(),
                query.value(5).toString(), query.value(6).toString(), query.value(7).toLongLong()});
    }
    return holds;
}

} // namespace

QJsonArray SaleService::ticketsJson(const QList<Ticket> &tickets)
{
    QJsonArray array;
    for (const Ticket &ticket : tickets) {
        QJsonObject object{{QStringLiteral("event"), ticket.event},
            {QStringLiteral("seat"),
                ticket.seat.isEmpty() ? QJsonValue() : QJsonValue(ticket.seat)},
            {QStringLiteral("category"), ticket.category}, {QStringLiteral("price"), ticket.price}};
        if (!ticket.code.isEmpty())
            object.insert(QStringLiteral("code"), ticket.code);
        if (const auto &d = ticket.details) {
            object.insert(QStringLiteral("eventName"), d->eventName);
            object.insert(QStringLiteral("venue"), d->venue);
            object.insert(QStringLiteral("startsAt"), isoUtc(d->startsAt));
            object.insert(QStringLiteral("timeZone"), d->timeZone);
            object.insert(QStringLiteral("categoryName"), d->categoryName);
            object.insert(QStringLiteral("state"), d->state);
            object.insert(QStringLiteral("redeemedAt"),
                d->redeemedAt.isValid() ? QJsonValue(isoUtc(d->redeemedAt)) : QJsonValue());
        }
        array.append(object);
    }
    return array;
}

SaleService::SaleService(QSqlDatabase db, const Clock &clock)
    : m_db(std::move(db))
    , m_clock(clock)
{
}

QList<SaleService::HoldRef> SaleService::liveHolds(const QString &cartId) const
{
    // Only holds that are live now: an expired hold that the timer has not
    // reached yet is not sold.
    return readHolds(Sql::exec(m_db,
        selectHolds
            + QStringLiteral(" WHERE h.cart_id = ? AND h.state = 'live' AND h.order_id IS NULL AND "
                             "h.expires_at > ?"
                             " ORDER BY h.id")
            + Sql::lockClause(m_db, u" FOR UPDATE OF h"),
        {cartId, isoUtc(m_clock.now())}));
}

QList<SaleService::HoldRef> SaleService::holdsOfOrder(const QString &orderId) const
{
    return readHolds(Sql::exec(m_db,
        selectHolds + QStringLiteral(" WHERE h.order_id = ? ORDER BY h.id")
            + Sql::lockClause(m_db, u" FOR UPDATE OF h"),
        {orderId}));
}

QString SaleService::createOrder(const QString &cartId, const QString &channel,
    const QString &payment, const QString &currency, const QString &state, qint64 total) const
{
    const QString order = Tokens::newId(u"o");
    Sql::exec(m_db,
        QStringLiteral(
            "INSERT INTO orders (id, cart_id, channel, payment, state, total, currency, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        {order, cartId, channel, payment, state, total, currency, isoUtc(m_clock.now())});
    return order;
}

void SaleService::addTicket(const QString &orderId, qint64 eventId, const QVariant &seatId,
    const Ticket &ticket, QList<Ticket> *tickets) const
{
    Ticket sold = ticket;
    sold.code = Tokens::newCode();
    Sql::exec(m_db,
        QStringLiteral("INSERT INTO order_lines (order_id, event_id, seat_id, category_code, "
                       "ticket_type, price, code)"
                       " VALUES (?, ?, ?, ?, 'standard', ?, ?)"),
        {orderId, eventId, seatId, ticket.category, ticket.price, sold.code});
    tickets->append(sold);
}

void SaleService::sellHold(
    const QString &orderId, const HoldRef &hold, QList<Ticket> *tickets, EventWrites &writes) const
{
    // The hold's row is locked by whoever loaded it; this check is the last
    // line of defence should that ever change.
    Sql::Rows claimed = Sql::exec(m_db,
        QStringLiteral("UPDATE holds SET state = 'sold', order_id = ? WHERE id = ? AND state = ?"),
        {orderId, hold.id, hold.state});
    if (claimed.numRowsAffected() != 1)
        throw StorageError(QStringLiteral("hold %1 changed while being sold").arg(hold.id));
    if (hold.seated) {
        // Priced as the hold recorded them, not by today's price list.
        Sql::Rows seats = Sql::exec(m_db,
            QStringLiteral("SELECT s.id, s.label, p.code, h.price FROM seat_claims c"
                           " JOIN seats s ON s.id = c.seat_id"
                           " JOIN price_categories p ON p.id = s.category_id"
                           " JOIN hold_seats h ON h.hold_id = c.hold_id AND h.seat_id = c.seat_id"
                           " WHERE c.hold_id = ? AND c.kind = 'held' ORDER BY s.id"),
            {hold.id});
        while (seats.next()) {
            const Ticket ticket{hold.event, seats.value(1).toString(), seats.value(2).toString(),
                seats.value(3).toLongLong(), {}, {}};
            addTicket(orderId, hold.eventId, seats.value(0), ticket, tickets);
            writes.seat(hold.eventId, hold.event, ticket.seat, SeatState::Sold);
        }
        Sql::exec(m_db,
            QStringLiteral("UPDATE seat_claims SET kind = 'sold', order_id = ?, hold_id = NULL"
                           " WHERE hold_id = ? AND kind = 'held'"),
            {orderId, hold.id});
        return;
    }
    const QString category = Sql::scalar(m_db,
        QStringLiteral("SELECT code FROM price_categories WHERE event_id = ? ORDER BY price, code"
                       " LIMIT 1"),
        {hold.eventId})
                                 .toString();
    const qint64 price = hold.quantity > 0 ? hold.total / hold.quantity : 0;
    for (int i = 0; i < hold.quantity; ++i)
        addTicket(
            orderId, hold.eventId, QVariant(), {hold.event, {}, category, price, {}, {}}, tickets);
    writes.places(hold.eventId, hold.event, -hold.quantity, hold.quantity);
}

bool SaleService::resellReleasedHold(const QString &orderId, const HoldRef &hold,
    QList<Ticket> *tickets, EventWrites &writes, QStringList *taken) const
{
    if (!hold.seated) {
        // Taken again as a new hold would take it; whether the places are
        // still there is the event row's conditional write at the flush.
        writes.places(hold.eventId, hold.event, hold.quantity, 0);
        sellHold(orderId, hold, tickets, writes);
        return true;
    }
    // The seats are locked by the caller (in id order, with every other
    // released hold's); the claims are read by a statement of its own.
    Sql::Rows seats = Sql::exec(m_db,
        QStringLiteral("SELECT s.id, s.label, s.blocked, c.seat_id FROM hold_seats h"
                       " JOIN seats s ON s.id = h.seat_id"
                       " LEFT JOIN seat_claims c ON c.seat_id = s.id"
                       " WHERE h.hold_id = ? ORDER BY s.id"),
        {hold.id});
    QList<qint64> free;
    while (seats.next()) {
        if (seats.value(2).toInt() == 1 || !seats.value(3).isNull())
            taken->append(seats.value(1).toString());
        else
            free.append(seats.value(0).toLongLong());
    }
    if (!taken->isEmpty())
        return false;
    // Claim them for the hold again, then sell exactly as a live hold.
    for (qint64 seatId : std::as_const(free)) {
        Sql::exec(m_db,
            QStringLiteral("INSERT INTO seat_claims (seat_id, event_id, kind, hold_id) VALUES (?, "
                           "?, 'held', ?)"),
            {seatId, hold.eventId, hold.id});
    }
    sellHold(orderId, hold, tickets, writes);
    return true;
}

void SaleService::lockSeatsOfHolds(const QStringList &holdIds) const
{
    if (Sql::isSqlite(m_db) || holdIds.isEmpty())
        return;
    QStringList marks;
    marks.fill(QStringLiteral("?"), holdIds.size());
    QVariantList values;
    for (const QString &id : holdIds)
        values.append(id);
    // All in one statement, in seat id order: the order a new hold takes
    // them in, so the two never wait for each other crosswise.
    Sql::exec(m_db,
        QStringLiteral("SELECT s.id FROM seats s JOIN hold_seats h ON h.seat_id = s.id"
                       " WHERE h.hold_id IN (%1) ORDER BY s.id FOR UPDATE OF s")
            .arg(marks.join(u',')),
        values);
}

SaleService::Outcome SaleService::sellCart(const QString &cartId, const QString &channel,
    const QString &payment, const QStringList &expected) const
{
    Transaction transaction(m_db);
    Outcome outcome = sellCartLocked(cartId, channel, payment, expected);
    if (outcome.status == Outcome::Status::Sold)
        transaction.commit(outcome.changes);
    return outcome;
}

SaleService::Outcome SaleService::sellCartLocked(const QString &cartId, const QString &channel,
    const QString &payment, const QStringList &expected) const
{
    CartService::lock(m_db, cartId);
    QList<HoldRef> holds = liveHolds(cartId);
    if (!expected.isEmpty()) {
        Outcome lost;
        lost.status = Outcome::Status::HoldLost;
        QList<HoldRef> chosen;
        for (const QString &id : expected) {
            const auto it = std::find_if(
                holds.cbegin(), holds.cend(), [&id](const HoldRef &hold) { return hold.id == id; });
            if (it == holds.cend())
                lost.lostHolds.append(id);
            else
                chosen.append(*it);
        }
        if (!lost.lostHolds.isEmpty())
            return lost;
        holds = chosen;
    }
    if (holds.isEmpty())
        return {};
    QSet<QString> currencies;
    for (const HoldRef &hold : holds)
        currencies.insert(hold.currency);
    if (currencies.size() > 1)
        return {Outcome::Status::MixedCurrencies, {}, 0, {}, {}, {}, {}};

    Outcome outcome;
    outcome.status = Outcome::Status::Sold;
    outcome.currency = holds.first().currency;
    outcome.order
        = createOrder(cartId, channel, payment, outcome.currency, QStringLiteral("paid"), 0);
    EventWrites writes(m_db);
    for (const HoldRef &hold : holds)
        sellHold(outcome.order, hold, &outcome.tickets, writes);
    for (const Ticket &ticket : std::as_const(outcome.tickets))
        outcome.total += ticket.price;
    Sql::exec(m_db, QStringLiteral("UPDATE orders SET total = ? WHERE id = ?"),
        {outcome.total, outcome.order});
    outcome.changes = writes.flush();
    return outcome;
}

} // namespace Marquee
