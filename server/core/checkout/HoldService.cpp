#include "HoldService.h"

#include "CartService.h"
#include "Clock.h"
#include "EventWrites.h"
#include "Sql.h"
#include "Tokens.h"

#include <QJsonArray>
#include <QSet>

namespace Marquee {

namespace {

/// The first key of the two-key advisory locks on client addresses; the
/// migration lock uses the one-key form, a space of its own.
constexpr int ClientLockClass = 0x4d514341; // "MQCA"

QString placeholders(qsizetype count)
{
    QStringList marks;
    marks.fill(QStringLiteral("?"), count);
    return marks.join(u',');
}

QVariantList toVariants(const QStringList &list)
{
    QVariantList values;
    for (const QString &item : list)
        values.append(item);
    return values;
}

/// The slug of the one event \a changes touch, for the audit trail.
QString eventOf(const AvailabilityChanges &changes)
{
    return changes.isEmpty() ? QString() : changes.first().event;
}

QJsonObject auditDetails(const QString &cartId, const Protocol::HoldRequest &request)
{
    QJsonObject details{{QStringLiteral("cart"), cartId}};
    if (request.seats.isEmpty())
        details.insert(QStringLiteral("quantity"), request.quantity);
    else
        details.insert(QStringLiteral("seats"), QJsonArray::fromStringList(request.seats));
    return details;
}

} // namespace

HoldService::HoldService(QSqlDatabase db, const Clock &clock, HoldRules rules, AuditActor actor)
    : m_db(std::move(db))
    , m_clock(clock)
    , m_rules(rules)
    , m_actor(std::move(actor))
{
}

HoldService::Outcome HoldService::hold(
    const QString &cartId, const Protocol::HoldRequest &request) const
{
    Transaction transaction(m_db);
    // The cart first (the lock order in CHECKOUT.md): two holds for one
    // cart count its live holds one after the other, so the limit holds.
    CartService::lock(m_db, cartId);
    Sql::Rows event = Sql::exec(m_db,
        QStringLiteral("SELECT id, kind, currency FROM events WHERE slug = ?"), {request.event});
    if (!event.next())
        return {Outcome::Status::UnknownEvent, {}, {}, 0, {}};
    const qint64 eventId = event.value(0).toLongLong();
    const bool seated = event.value(1).toString() == QLatin1String("seated");
    const QString currency = event.value(2).toString();

    const int liveHolds = Sql::scalar(m_db,
        QStringLiteral("SELECT COUNT(*) FROM holds WHERE cart_id = ?"
                       " AND state = 'live' AND expires_at > ?"),
        {cartId, isoUtc(m_clock.now())})
                              .toInt();
    if (liveHolds >= m_rules.maxHoldsPerCart)
        return {Outcome::Status::TooManyHolds, {}, {}, 0, {}};

    // A seated event takes seats, a GA event a quantity; the other form is
    // a client error, reported like an unknown seat.
    if (seated != !request.seats.isEmpty())
        return {Outcome::Status::UnknownSeats, {}, request.seats, 0, {}};

    const int asked = seated ? int(request.seats.size()) : request.quantity;
    if (const std::optional<int> held = clientCapReached(cartId, asked))
        return {Outcome::Status::ClientHoldLimit, {}, {}, 0, {}, *held};

    Outcome outcome = seated
        ? holdSeats(cartId, eventId, request.event, currency, request.seats)
        : holdPlaces(cartId, eventId, request.event, currency, request.quantity);
    if (outcome.status == Outcome::Status::Held) {
        AuditLog(m_db, m_clock)
            .record(m_actor, QStringLiteral("hold.create"), outcome.hold.id, request.event,
                auditDetails(cartId, request));
        transaction.commit(outcome.changes, outcome.hold.expiresAt);
    }
    return outcome;
}

std::optional<int> HoldService::clientCapReached(const QString &cartId, int asked) const
{
    if (m_rules.maxPerClient <= 0)
        return std::nullopt;
    const QVariant address = Sql::scalar(
        m_db, QStringLiteral("SELECT client_address FROM carts WHERE id = ?"), {cartId});
    if (address.isNull())
        return std::nullopt;
    // Two holds for two carts of one address, on two servers, would each
    // count the other's seats as not yet held. PostgreSQL: one lock per
    // address, taken right after the cart (CHECKOUT.md "One lock order"),
    // serializes them; the count is a statement of its own so that it sees
    // what the previous holder committed. SQLite already has one writer.
    if (!Sql::isSqlite(m_db)) {
        Sql::exec(m_db,
            QStringLiteral("SELECT pg_advisory_xact_lock(%1, hashtext(?))").arg(ClientLockClass),
            {address});
    }
    const int held = Sql::scalar(m_db,
        QStringLiteral("SELECT COALESCE(SUM(h.quantity), 0) FROM holds h"
                       " JOIN carts c ON c.id = h.cart_id"
                       " WHERE c.client_address = ? AND h.state = 'live' AND h.expires_at > ?"),
        {address, isoUtc(m_clock.now())})
                         .toInt();
    if (held + asked <= m_rules.maxPerClient)
        return std::nullopt;
    return held;
}

HoldService::Outcome HoldService::holdSeats(const QString &cartId, qint64 eventId,
    const QString &slug, const QString &currency, const QStringList &labels) const
{
    QVariantList values{eventId};
    values.append(toVariants(labels));
    // SQLite's BEGIN IMMEDIATE already holds the only write lock. PostgreSQL
    // locks the seat rows first, always in id order so that two overlapping
    // holds cannot deadlock. The claim check is a statement of its own: only
    // a statement that starts after the locks are granted sees the claims
    // committed by whoever held them before.
    if (!Sql::isSqlite(m_db)) {
        Sql::exec(m_db,
            QStringLiteral(
                "SELECT id FROM seats WHERE event_id = ? AND label IN (%1) ORDER BY id FOR UPDATE")
                .arg(placeholders(labels.size())),
            values);
    }
    Sql::Rows seats = Sql::exec(m_db,
        QStringLiteral("SELECT s.id, s.label, s.blocked, c.seat_id, p.price FROM seats s"
                       " JOIN price_categories p ON p.id = s.category_id"
                       " LEFT JOIN seat_claims c ON c.seat_id = s.id"
                       " WHERE s.event_id = ? AND s.label IN (%1) ORDER BY s.id")
            .arg(placeholders(labels.size())),
        values);

    struct Seat
    {
        qint64 id;
        qint64 price;
    };
    QSet<QString> known;
    QStringList unavailable;
    QList<Seat> chosen;
    qint64 total = 0;
    while (seats.next()) {
        const QString label = seats.value(1).toString();
        known.insert(label);
        if (seats.value(2).toInt() == 1 || !seats.value(3).isNull())
            unavailable.append(label);
        chosen.append({seats.value(0).toLongLong(), seats.value(4).toLongLong()});
        total += seats.value(4).toLongLong();
    }
    QStringList unknown;
    for (const QString &label : labels) {
        if (!known.contains(label))
            unknown.append(label);
    }
    if (!unknown.isEmpty())
        return {Outcome::Status::UnknownSeats, {}, unknown, 0, {}};
    if (!unavailable.isEmpty())
        return {Outcome::Status::Unavailable, {}, unavailable, 0, {}};

    const QDateTime now = m_clock.now();
    Hold hold{Tokens::newId(u"h"), slug, labels, int(labels.size()), total, currency,
        now.addSecs(m_rules.holdSeconds)};
    insertHold(hold, cartId, eventId, now);
    for (const Seat &seat : std::as_const(chosen)) {
        // The price as of now goes with the hold: the customer pays what
        // they were shown, whatever the price list says by then.
        Sql::exec(m_db,
            QStringLiteral("INSERT INTO hold_seats (hold_id, seat_id, price) VALUES (?, ?, ?)"),
            {hold.id, seat.id, seat.price});
        // The primary key on seat_id is the last line of defence: a second
        // live claim fails here and the whole transaction rolls back.
        Sql::exec(m_db,
            QStringLiteral("INSERT INTO seat_claims (seat_id, event_id, kind, hold_id) VALUES (?, "
                           "?, 'held', ?)"),
            {seat.id, eventId, hold.id});
    }

    EventWrites writes(m_db);
    for (const QString &label : labels)
        writes.seat(eventId, slug, label, SeatState::Held);
    return {Outcome::Status::Held, hold, {}, 0, writes.flush()};
}

void HoldService::insertHold(
    const Hold &hold, const QString &cartId, qint64 eventId, const QDateTime &now) const
{
    Sql::exec(m_db,
        QStringLiteral("INSERT INTO holds (id, cart_id, event_id, quantity, total, state, "
                       "created_at, expires_at)"
                       " VALUES (?, ?, ?, ?, ?, 'live', ?, ?)"),
        {hold.id, cartId, eventId, hold.quantity, hold.total, isoUtc(now), isoUtc(hold.expiresAt)});
}

HoldService::Outcome HoldService::holdPlaces(const QString &cartId, qint64 eventId,
    const QString &slug, const QString &currency, int quantity) const
{
    const qint64 price = Sql::scalar(m_db,
        QStringLiteral("SELECT MIN(price) FROM price_categories WHERE event_id = ?"), {eventId})
                             .toLongLong();
    const QDateTime now = m_clock.now();
    Hold hold{Tokens::newId(u"h"), slug, {}, quantity, price * quantity, currency,
        now.addSecs(m_rules.holdSeconds)};
    insertHold(hold, cartId, eventId, now);
    // The event row's conditional update is the check: it changes the row
    // only when there is room (and the CHECK constraint would refuse it
    // anyway). It is the last lock taken, as on every path.
    EventWrites writes(m_db);
    writes.places(eventId, slug, quantity, 0);
    QStringList full;
    AvailabilityChanges changes = writes.flush(&full);
    if (!full.isEmpty()) {
        const int available = Sql::scalar(m_db,
            QStringLiteral("SELECT capacity - ga_held - ga_sold FROM events WHERE id = ?"),
            {eventId})
                                  .toInt();
        return {Outcome::Status::Unavailable, {}, {}, available, {}};
    }
    return {Outcome::Status::Held, hold, {}, 0, changes};
}

HoldService::Outcome HoldService::release(const QString &cartId, const QString &holdId) const
{
    Transaction transaction(m_db);
    CartService::lock(m_db, cartId);
    const QVariant found = Sql::scalar(m_db,
        QStringLiteral("SELECT id FROM holds WHERE id = ? AND cart_id = ? AND state = 'live' AND "
                       "order_id IS NULL"),
        {holdId, cartId});
    if (found.isNull())
        return {Outcome::Status::UnknownHold, {}, {}, 0, {}};
    EventWrites writes(m_db);
    releaseLocked(holdId, writes);
    const AvailabilityChanges changes = writes.flush();
    AuditLog(m_db, m_clock)
        .record(m_actor, QStringLiteral("hold.release"), holdId, eventOf(changes),
            {{QStringLiteral("cart"), cartId}});
    transaction.commit(changes);
    return {Outcome::Status::Released, {}, {}, 0, changes};
}

bool HoldService::releaseLocked(const QString &holdId, EventWrites &writes) const
{
    // Conditional, so that two servers expiring the same hold, or an expiry
    // racing a release, give the places back once only.
    Sql::Rows update = Sql::exec(m_db,
        QStringLiteral("UPDATE holds SET state = 'released' WHERE id = ? AND state = 'live'"),
        {holdId});
    if (update.numRowsAffected() != 1)
        return false;
    Sql::Rows hold = Sql::exec(m_db,
        QStringLiteral("SELECT h.event_id, e.slug, e.kind, h.quantity FROM holds h"
                       " JOIN events e ON e.id = h.event_id WHERE h.id = ?"),
        {holdId});
    hold.next();
    const qint64 eventId = hold.value(0).toLongLong();
    const QString slug = hold.value(1).toString();
    if (hold.value(2).toString() != QLatin1String("seated")) {
        writes.places(eventId, slug, -hold.value(3).toInt(), 0);
        return true;
    }
    Sql::Rows seats = Sql::exec(m_db,
        QStringLiteral("SELECT s.label FROM seat_claims c JOIN seats s ON s.id = c.seat_id"
                       " WHERE c.hold_id = ? AND c.kind = 'held'"),
        {holdId});
    while (seats.next())
        writes.seat(eventId, slug, seats.value(0).toString(), SeatState::Available);
    Sql::exec(m_db, QStringLiteral("DELETE FROM seat_claims WHERE hold_id = ? AND kind = 'held'"),
        {holdId});
    return true;
}

HoldService::Outcome HoldService::renew(const QString &cartId, const QString &holdId) const
{
    Transaction transaction(m_db);
    CartService::lock(m_db, cartId);
    const QString now = isoUtc(m_clock.now());
    // One conditional statement: a hold released or sold meanwhile (an
    // expiry on another server does not take the cart's lock) is not
    // renewed, whatever an earlier read said.
    Sql::Rows update = Sql::exec(m_db,
        QStringLiteral("UPDATE holds SET renewals = renewals + 1, expires_at = ?"
                       " WHERE id = ? AND cart_id = ? AND state = 'live' AND order_id IS NULL"
                       " AND expires_at > ? AND renewals < ?"),
        {isoUtc(m_clock.now().addSecs(m_rules.holdSeconds)), holdId, cartId, now,
            m_rules.maxRenewals});
    if (update.numRowsAffected() != 1) {
        const QVariant live = Sql::scalar(m_db,
            QStringLiteral("SELECT renewals FROM holds WHERE id = ? AND cart_id = ?"
                           " AND state = 'live' AND order_id IS NULL AND expires_at > ?"),
            {holdId, cartId, now});
        return {live.isNull() ? Outcome::Status::UnknownHold : Outcome::Status::RenewalLimit, {},
            {}, 0, {}};
    }
    transaction.commit();
    Outcome outcome{Outcome::Status::Renewed, {}, {}, 0, {}};
    for (const Hold &live : liveHolds(cartId)) {
        if (live.id == holdId)
            outcome.hold = live;
    }
    return outcome;
}

QList<HoldService::Hold> HoldService::liveHolds(const QString &cartId) const
{
    QList<Hold> holds;
    Sql::Rows query = Sql::exec(m_db,
        QStringLiteral("SELECT h.id, e.slug, h.quantity, h.total, e.currency, h.expires_at"
                       " FROM holds h JOIN events e ON e.id = h.event_id"
                       " WHERE h.cart_id = ? AND h.state = 'live' AND h.expires_at > ?"
                       " ORDER BY h.created_at, h.id"),
        {cartId, isoUtc(m_clock.now())});
    while (query.next()) {
        Hold hold{query.value(0).toString(), query.value(1).toString(), {}, query.value(2).toInt(),
            query.value(3).toLongLong(), query.value(4).toString(), Sql::time(query.value(5))};
        Sql::Rows seats = Sql::exec(m_db,
            QStringLiteral("SELECT s.label FROM hold_seats h JOIN seats s ON s.id = h.seat_id"
                           " WHERE h.hold_id = ? ORDER BY s.id"),
            {hold.id});
        while (seats.next())
            hold.seats.append(seats.value(0).toString());
        holds.append(hold);
    }
    return holds;
}

QStringList HoldService::dueHolds(int limit) const
{
    Sql::Rows due = Sql::exec(m_db,
        QStringLiteral("SELECT id FROM holds WHERE state = 'live' AND expires_at <= ?"
                       " ORDER BY expires_at, id LIMIT ?"),
        {isoUtc(m_clock.now()), limit});
    QStringList ids;
    while (due.next())
        ids.append(due.value(0).toString());
    return ids;
}

std::optional<AvailabilityChanges> HoldService::releaseExpired(const QString &holdId) const
{
    // A transaction per hold: a hold whose release fails rolls back alone
    // and does not keep the others' seats locked.
    Transaction transaction(m_db);
    // Several servers run this at the same moment; SKIP LOCKED lets each
    // take the holds nobody else is releasing or selling right now, and
    // the state condition makes a hold released once only.
    const QVariant due = Sql::scalar(m_db,
        QStringLiteral("SELECT id FROM holds WHERE id = ? AND state = 'live' AND expires_at <= ?")
            + Sql::lockClause(m_db, u" FOR UPDATE SKIP LOCKED"),
        {holdId, isoUtc(m_clock.now())});
    if (due.isNull()) {
        if (Sql::isSqlite(m_db))
            return AvailabilityChanges{};
        // Not due any more, or skipped because someone holds its lock?
        const QVariant stillDue = Sql::scalar(m_db,
            QStringLiteral(
                "SELECT id FROM holds WHERE id = ? AND state = 'live' AND expires_at <= ?"),
            {holdId, isoUtc(m_clock.now())});
        if (stillDue.isNull())
            return AvailabilityChanges{};
        return std::nullopt;
    }
    EventWrites writes(m_db);
    releaseLocked(holdId, writes);
    const AvailabilityChanges changes = writes.flush();
    AuditLog(m_db, m_clock)
        .record(AuditActor::system(), QStringLiteral("hold.expire"), holdId, eventOf(changes));
    transaction.commit(changes);
    return changes;
}

void HoldService::releaseOrderHolds(const QString &orderId, EventWrites &writes) const
{
    Sql::Rows live = Sql::exec(m_db,
        QStringLiteral("SELECT id FROM holds WHERE order_id = ? AND state = 'live' ORDER BY id"),
        {orderId});
    QStringList ids;
    while (live.next())
        ids.append(live.value(0).toString());
    for (const QString &id : std::as_const(ids))
        releaseLocked(id, writes);
}

std::optional<QDateTime> HoldService::nextExpiry(const QStringList &skip) const
{
    const QVariant next = Sql::scalar(m_db,
        QStringLiteral("SELECT MIN(expires_at) FROM holds WHERE state = 'live'")
            + (skip.isEmpty()
                    ? QString()
                    : QStringLiteral(" AND id NOT IN (%1)").arg(placeholders(skip.size()))),
        toVariants(skip));
    if (next.isNull())
        return std::nullopt;
    return Sql::time(next);
}

} // namespace Marquee
