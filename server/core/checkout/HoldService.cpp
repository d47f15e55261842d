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

/// What hold() decides on, read in one round trip (readForHold).
struct HoldService::HoldFacts
{
    bool eventFound = false;
    qint64 eventId = 0;
    bool seated = false;
    QString currency;
    int liveHolds = 0; ///< the cart's
    bool hasAddress = false; ///< the cart records its client's address
    int clientHeld = 0; ///< what that address holds, when there is a cap
    Sql::Table seats; ///< id, label, blocked, claim, price of the seats asked for
    qint64 price = 0; ///< a GA place's
};

HoldService::Outcome HoldService::hold(
    const QString &cartId, const Protocol::HoldRequest &request) const
{
    Transaction transaction(m_db);
    const HoldFacts facts = readForHold(cartId, request);
    if (!facts.eventFound)
        return {Outcome::Status::UnknownEvent, {}, {}, 0, {}};
    if (facts.liveHolds >= m_rules.maxHoldsPerCart)
        return {Outcome::Status::TooManyHolds, {}, {}, 0, {}};
    // A seated event takes seats, a GA event a quantity; the other form is
    // a client error, reported like an unknown seat.
    if (facts.seated != !request.seats.isEmpty())
        return {Outcome::Status::UnknownSeats, {}, request.seats, 0, {}};
    const int asked = facts.seated ? int(request.seats.size()) : request.quantity;
    if (m_rules.maxPerClient > 0 && facts.hasAddress
        && facts.clientHeld + asked > m_rules.maxPerClient)
        return {Outcome::Status::ClientHoldLimit, {}, {}, 0, {}, facts.clientHeld};

    Outcome outcome
        = facts.seated ? holdSeats(cartId, facts, request) : holdPlaces(cartId, facts, request);
    if (outcome.status == Outcome::Status::Held)
        transaction.commit(outcome.changes, outcome.hold.expiresAt);
    return outcome;
}

HoldService::HoldFacts HoldService::readForHold(
    const QString &cartId, const Protocol::HoldRequest &request) const
{
    const QString now = isoUtc(m_clock.now());
    // Every read in the lock order of CHECKOUT.md: the cart, the client's
    // address, the seats. Each is a statement of its own after the lock it
    // depends on: on PostgreSQL only a statement that starts after a lock is
    // granted sees what the lock's previous holder committed. Two holds for
    // one cart therefore count its live holds one after the other.
    Sql::Batch reads(m_db);
    CartService::lock(reads, cartId);
    const qsizetype event
        = reads.add(QStringLiteral("SELECT e.id, e.kind, e.currency, (SELECT COUNT(*) FROM holds"
                                   " WHERE cart_id = ? AND state = 'live' AND expires_at > ?),"
                                   " (SELECT client_address FROM carts WHERE id = ?)"
                                   " FROM events e WHERE e.slug = ?"),
            {cartId, now, cartId, request.event});
    qsizetype clientHeld = -1;
    if (m_rules.maxPerClient > 0) {
        // Two holds for two carts of one address, on two servers, would
        // each count the other's seats as not yet held. PostgreSQL: one lock
        // per address, right after the cart, serializes them. SQLite already
        // has one writer.
        if (!Sql::isSqlite(m_db))
            reads.add(QStringLiteral("SELECT pg_advisory_xact_lock(%1, hashtext(client_address))"
                                     " FROM carts WHERE id = ? AND client_address IS NOT NULL")
                          .arg(ClientLockClass),
                {cartId});
        // The address's carts first (CROSS JOIN keeps SQLite to that
        // order), then each one's live holds: a cart without an address,
        // the common case, finds nothing at once.
        clientHeld = reads.add(
            QStringLiteral(
                "SELECT COALESCE(SUM(h.quantity), 0) FROM carts c CROSS JOIN holds h"
                " WHERE c.client_address = (SELECT client_address FROM carts WHERE id = ?)"
                " AND h.cart_id = c.id AND h.state = 'live' AND h.expires_at > ?"),
            {cartId, now});
    }
    const qsizetype seatsOrPrice = addSeatsOrPrice(reads, request);
    const QList<Sql::Table> read = reads.run();

    HoldFacts facts;
    const Sql::Table &found = read.at(event);
    if (found.isEmpty())
        return facts;
    facts.eventFound = true;
    facts.eventId = found.value(0, 0).toLongLong();
    facts.seated = found.value(0, 1).toString() == QLatin1String("seated");
    facts.currency = found.value(0, 2).toString();
    facts.liveHolds = found.value(0, 3).toInt();
    facts.hasAddress = !found.value(0, 4).isNull();
    if (clientHeld >= 0)
        facts.clientHeld = read.at(clientHeld).value(0, 0).toInt();
    if (!request.seats.isEmpty())
        facts.seats = read.at(seatsOrPrice);
    else
        facts.price = read.at(seatsOrPrice).value(0, 0).toLongLong();
    return facts;
}

qsizetype HoldService::addSeatsOrPrice(
    Sql::Batch &reads, const Protocol::HoldRequest &request) const
{
    const QString eventId = QStringLiteral("(SELECT id FROM events WHERE slug = ?)");
    if (!request.seats.isEmpty()) {
        QVariantList values{request.event};
        values.append(toVariants(request.seats));
        const QString in = placeholders(request.seats.size());
        // PostgreSQL locks the seat rows first, always in id order so that
        // two overlapping holds cannot deadlock; SQLite's BEGIN IMMEDIATE
        // already holds the only write lock.
        if (!Sql::isSqlite(m_db))
            reads.add(QStringLiteral("SELECT id FROM seats WHERE event_id = %1 AND label IN (%2)"
                                     " ORDER BY id FOR UPDATE")
                          .arg(eventId, in),
                values);
        return reads.add(
            QStringLiteral("SELECT s.id, s.label, s.blocked, c.seat_id, p.price FROM seats s"
                           " JOIN price_categories p ON p.id = s.category_id"
                           " LEFT JOIN seat_claims c ON c.seat_id = s.id"
                           " WHERE s.event_id = %1 AND s.label IN (%2) ORDER BY s.id")
                .arg(eventId, in),
            values);
    }
    return reads.add(
        QStringLiteral("SELECT MIN(price) FROM price_categories WHERE event_id = %1").arg(eventId),
        {request.event});
}

HoldService::Outcome HoldService::holdSeats(
    const QString &cartId, const HoldFacts &facts, const Protocol::HoldRequest &request) const
{
    struct Seat
    {
        qint64 id;
        qint64 price;
    };
    QSet<QString> known;
    QStringList unavailable;
    QList<Seat> chosen;
    qint64 total = 0;
    for (const QVariantList &seat : facts.seats.rows) {
        const QString label = seat.at(1).toString();
        known.insert(label);
        if (seat.at(2).toInt() == 1 || !seat.at(3).isNull())
            unavailable.append(label);
        chosen.append({seat.at(0).toLongLong(), seat.at(4).toLongLong()});
        total += seat.at(4).toLongLong();
    }
    QStringList unknown;
    for (const QString &label : request.seats) {
        if (!known.contains(label))
            unknown.append(label);
    }
    if (!unknown.isEmpty())
        return {Outcome::Status::UnknownSeats, {}, unknown, 0, {}};
    if (!unavailable.isEmpty())
        return {Outcome::Status::Unavailable, {}, unavailable, 0, {}};

    const QDateTime now = m_clock.now();
    Hold hold{Tokens::newTimeOrderedId(u"h", now), request.event, request.seats,
        int(request.seats.size()), total, facts.currency, now.addSecs(m_rules.holdSeconds), {},
        m_rules.maxRenewals};
    // Every write in one round trip, the event row last (the lock order).
    Sql::Batch writes(m_db);
    writes.add(insertHold(hold, cartId, facts.eventId, now));
    for (const Seat &seat : std::as_const(chosen)) {
        // The price as of now goes with the hold: the customer pays what
        // they were shown, whatever the price list says by then.
        writes.add(
            QStringLiteral("INSERT INTO hold_seats (hold_id, seat_id, price) VALUES (?, ?, ?)"),
            {hold.id, seat.id, seat.price});
        // The primary key on seat_id is the last line of defence: a second
        // live claim fails here and the whole transaction rolls back.
        writes.add(QStringLiteral("INSERT INTO seat_claims (seat_id, event_id, kind, hold_id)"
                                  " VALUES (?, ?, 'held', ?)"),
            {seat.id, facts.eventId, hold.id});
    }
    writes.add(auditHold(hold.id, cartId, request));
    EventWrites events(m_db);
    for (const QString &label : request.seats)
        events.seat(facts.eventId, request.event, label, SeatState::Held);
    return {Outcome::Status::Held, hold, {}, 0, events.flush(writes)};
}

Sql::Statement HoldService::insertHold(
    const Hold &hold, const QString &cartId, qint64 eventId, const QDateTime &now) const
{
    return {QStringLiteral("INSERT INTO holds (id, cart_id, event_id, quantity, total, state, "
                           "created_at, expires_at) VALUES (?, ?, ?, ?, ?, 'live', ?, ?)"),
        {hold.id, cartId, eventId, hold.quantity, hold.total, isoUtc(now), isoUtc(hold.expiresAt)}};
}

Sql::Statement HoldService::auditHold(
    const QString &holdId, const QString &cartId, const Protocol::HoldRequest &request) const
{
    return AuditLog(m_db, m_clock)
        .entry(m_actor, QStringLiteral("hold.create"), holdId, request.event,
            auditDetails(cartId, request));
}

HoldService::Outcome HoldService::holdPlaces(
    const QString &cartId, const HoldFacts &facts, const Protocol::HoldRequest &request) const
{
    const QDateTime now = m_clock.now();
    Hold hold{Tokens::newTimeOrderedId(u"h", now), request.event, {}, request.quantity,
        facts.price * request.quantity, facts.currency, now.addSecs(m_rules.holdSeconds), {},
        m_rules.maxRenewals};
    Sql::Batch writes(m_db);
    writes.add(insertHold(hold, cartId, facts.eventId, now));
    writes.add(auditHold(hold.id, cartId, request));
    // The event row's conditional update is the check: it changes the row
    // only when there is room (and the CHECK constraint would refuse it
    // anyway). It is the last lock taken, as on every path.
    EventWrites events(m_db);
    events.places(facts.eventId, request.event, request.quantity, 0);
    QStringList full;
    AvailabilityChanges changes = events.flush(writes, &full);
    if (!full.isEmpty())
        return {Outcome::Status::Unavailable, {}, {}, events.placesLeft(facts.eventId), {}};
    return {Outcome::Status::Held, hold, {}, 0, changes};
}

HoldService::Outcome HoldService::release(const QString &cartId, const QString &holdId) const
{
    Transaction transaction(m_db);
    // The cart first (the lock order); a hold of another cart, or one in
    // an order's checkout, is not this request's to release.
    Sql::Batch batch(m_db);
    CartService::lock(batch, cartId);
    EventWrites writes(m_db);
    if (!releaseLocked(holdId, writes, batch, cartId))
        return {Outcome::Status::UnknownHold, {}, {}, 0, {}};
    Sql::Batch last(m_db);
    last.add(AuditLog(m_db, m_clock)
                 .entry(m_actor, QStringLiteral("hold.release"), holdId, writes.firstEvent(),
                     {{QStringLiteral("cart"), cartId}}));
    const AvailabilityChanges changes = writes.flush(last);
    transaction.commit(changes);
    return {Outcome::Status::Released, {}, {}, 0, changes};
}

bool HoldService::releaseLocked(const QString &holdId, EventWrites &writes) const
{
    Sql::Batch batch(m_db);
    return releaseLocked(holdId, writes, batch, {});
}

bool HoldService::releaseLocked(
    const QString &holdId, EventWrites &writes, Sql::Batch &before, const QString &cartId) const
{
    // Conditional, so that two servers expiring the same hold, or an expiry
    // racing a release, give the places back once only. With a cart, only
    // that cart's hold outside checkout. The reads and the delete after it
    // run whether it changed the hold or not (one round trip): a hold that
    // was not live has no 'held' claims left, and when the cart's condition
    // fails the caller refuses and rolls back what the delete did.
    QString update
        = QStringLiteral("UPDATE holds SET state = 'released' WHERE id = ? AND state = 'live'");
    QVariantList values{holdId};
    if (!cartId.isNull()) {
        update += QStringLiteral(" AND cart_id = ? AND order_id IS NULL");
        values.append(cartId);
    }
    const qsizetype changed = before.add(update, values);
    const qsizetype hold
        = before.add(QStringLiteral("SELECT h.event_id, e.slug, e.kind, h.quantity FROM holds h"
                                    " JOIN events e ON e.id = h.event_id WHERE h.id = ?"),
            {holdId});
    const qsizetype seats = before.add(
        QStringLiteral("SELECT s.label FROM seat_claims c JOIN seats s ON s.id = c.seat_id"
                       " WHERE c.hold_id = ? AND c.kind = 'held'"),
        {holdId});
    before.add(
        QStringLiteral("DELETE FROM seat_claims WHERE hold_id = ? AND kind = 'held'"), {holdId});
    const QList<Sql::Table> done = before.run();
    if (done.at(changed).affected != 1)
        return false;
    const Sql::Table &row = done.at(hold);
    const qint64 eventId = row.value(0, 0).toLongLong();
    const QString slug = row.value(0, 1).toString();
    if (row.value(0, 2).toString() != QLatin1String("seated")) {
        writes.places(eventId, slug, -row.value(0, 3).toInt(), 0);
        return true;
    }
    for (const QVariantList &seat : done.at(seats).rows)
        writes.seat(eventId, slug, seat.at(0).toString(), SeatState::Available);
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

QHash<QString, QDateTime> HoldService::heldUntil(
    const QString &event, const QStringList &labels) const
{
    QHash<QString, QDateTime> until;
    if (labels.isEmpty())
        return until;
    QVariantList values{event, isoUtc(m_clock.now())};
    values.append(toVariants(labels));
    Sql::Rows query = Sql::exec(m_db,
        QStringLiteral("SELECT s.label, h.expires_at FROM seat_claims c"
                       " JOIN seats s ON s.id = c.seat_id JOIN holds h ON h.id = c.hold_id"
                       " WHERE c.event_id = (SELECT id FROM events WHERE slug = ?)"
                       " AND c.kind = 'held' AND h.state = 'live' AND h.expires_at > ?"
                       " AND s.label IN (%1)")
            .arg(placeholders(labels.size())),
        values);
    while (query.next())
        until.insert(query.value(0).toString(), Sql::time(query.value(1)));
    return until;
}

QList<HoldService::Hold> HoldService::liveHolds(const QString &cartId) const
{
    QList<Hold> holds;
    Sql::Rows query = Sql::exec(m_db,
        QStringLiteral("SELECT h.id, e.slug, h.quantity, h.total, e.currency, h.expires_at,"
                       " h.order_id, h.renewals FROM holds h JOIN events e ON e.id = h.event_id"
                       " WHERE h.cart_id = ? AND h.state = 'live' AND h.expires_at > ?"
                       " ORDER BY h.created_at, h.id"),
        {cartId, isoUtc(m_clock.now())});
    while (query.next()) {
        Hold hold{query.value(0).toString(), query.value(1).toString(), {}, query.value(2).toInt(),
            query.value(3).toLongLong(), query.value(4).toString(), Sql::time(query.value(5)),
            query.value(6).toString(), qMax(0, m_rules.maxRenewals - query.value(7).toInt())};
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
