#include "RaceEvidence.h"

#include "EventRepository.h"
#include "Sql.h"
#include "Storage.h"

#include <QSqlQuery>
#include <algorithm>

namespace Marquee::Test {

using Message = Protocol::ChannelMessage;

namespace {

const QString connectionName = QStringLiteral("race-evidence");

bool legalStep(SeatState from, SeatState to)
{
    // During a race nothing is refunded: a seat is held from available, and
    // a hold ends available (released) or sold. Anything else, held to held
    // included, would mean two claims.
    return (from == SeatState::Available && to == SeatState::Held)
        || (from == SeatState::Held && (to == SeatState::Available || to == SeatState::Sold));
}

} // namespace

Connection::Connection(const DatabaseConfig &config)
{
    m_db = openDatabase(config, connectionName, &m_error);
}

Connection::~Connection()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(connectionName);
}

qint64 Connection::count(const QString &sql, const QVariantList &values) const
{
    return Sql::scalar(m_db, sql, values).toLongLong();
}

Stored readDatabase(const Connection &connection, const QString &generalEvent)
{
    const QSqlDatabase &db = connection.db();
    Stored stored;
    Sql::Rows holds = Sql::exec(db, QStringLiteral("SELECT id, state FROM holds"));
    while (holds.next())
        stored.holds.insert(holds.value(0).toString(), holds.value(1).toString());
    Sql::Rows orders = Sql::exec(db, QStringLiteral("SELECT id, state FROM orders"));
    while (orders.next())
        stored.orders.insert(orders.value(0).toString(), orders.value(1).toString());
    Sql::Rows lines = Sql::exec(
        db, QStringLiteral("SELECT order_id, COUNT(*) FROM order_lines GROUP BY order_id"));
    while (lines.next())
        stored.orderLines.insert(lines.value(0).toString(), lines.value(1).toInt());
    Sql::Rows claims = Sql::exec(db,
        QStringLiteral("SELECT s.label, c.kind, COALESCE(c.hold_id, c.order_id)"
                       " FROM seat_claims c JOIN seats s ON s.id = c.seat_id"));
    while (claims.next()) {
        stored.claims.insert(claims.value(0).toString(),
            claims.value(1).toString() + u' ' + claims.value(2).toString());
        ++stored.seatClaimRows;
    }
    Sql::Rows ga = Sql::exec(
        db, QStringLiteral("SELECT ga_held, ga_sold FROM events WHERE slug = ?"), {generalEvent});
    ga.next();
    stored.gaHeld = ga.value(0).toInt();
    stored.gaSold = ga.value(1).toInt();
    stored.availability = EventRepository(db).loadAvailability();
    return stored;
}

AvailabilityChange Stored::availabilityOf(const QString &event) const
{
    for (const AvailabilityChange &change : availability) {
        if (change.event == event)
            return change;
    }
    return {};
}

Replay replay(const QList<Message> &messages)
{
    Replay state;
    if (messages.isEmpty() || messages.first().type != Message::Type::Snapshot) {
        state.problem = QStringLiteral("the first message is not a snapshot");
        return state;
    }
    const Message &snapshot = messages.first();
    state.version = snapshot.version;
    state.seats = snapshot.seats;
    state.available = snapshot.available;
    state.capacity = snapshot.capacity;
    state.lowestAvailable = snapshot.available;
    for (qsizetype i = 1; i < messages.size(); ++i) {
        const Message &update = messages.at(i);
        if (update.version != state.version + 1) {
            state.problem
                = QStringLiteral("version gap: %1 after %2").arg(update.version).arg(state.version);
            return state;
        }
        state.version = update.version;
        ++state.updates;
        if (update.type == Message::Type::Seats) {
            for (auto it = update.seats.cbegin(); it != update.seats.cend(); ++it) {
                const SeatState before = state.seats.value(it.key(), SeatState::Blocked);
                if (!legalStep(before, it.value())) {
                    state.problem
                        = QStringLiteral("seat %1 went from %2 to %3 at version %4")
                              .arg(it.key(), seatStateName(before), seatStateName(it.value()))
                              .arg(update.version);
                    return state;
                }
                state.seats.insert(it.key(), it.value());
            }
        } else if (update.type == Message::Type::Availability) {
            state.available = update.available;
            state.capacity = update.capacity;
            state.lowestAvailable = qMin(state.lowestAvailable, update.available);
        } else {
            state.problem
                = QStringLiteral("unexpected message type at version %1").arg(update.version);
            return state;
        }
    }
    return state;
}

QString overlappingSeatHolds(const QList<GrantedHold> &holds)
{
    struct Interval
    {
        qint64 from;
        qint64 to;
        QString hold;
    };
    QHash<QString, QList<Interval>> bySeat;
    for (const GrantedHold &hold : holds) {
        const qint64 to
            = hold.releaseSentAt >= 0 ? hold.releaseSentAt : std::numeric_limits<qint64>::max();
        for (const QString &seat : hold.seats)
            bySeat[seat].append({hold.grantedAt, to, hold.id});
    }
    for (auto it = bySeat.begin(); it != bySeat.end(); ++it) {
        QList<Interval> &intervals = it.value();
        std::sort(intervals.begin(), intervals.end(),
            [](const Interval &a, const Interval &b) { return a.from < b.from; });
        for (qsizetype i = 1; i < intervals.size(); ++i) {
            if (intervals.at(i - 1).to > intervals.at(i).from)
                return QStringLiteral("seat %1: holds %2 and %3 were live at once")
                    .arg(it.key(), intervals.at(i - 1).hold, intervals.at(i).hold);
        }
    }
    return {};
}

int mostPlacesAtOnce(const QList<GrantedHold> &holds)
{
    QList<std::pair<qint64, int>> steps;
    for (const GrantedHold &hold : holds) {
        if (hold.seated)
            continue;
        steps.append({hold.grantedAt, hold.quantity});
        if (hold.releaseSentAt >= 0)
            steps.append({hold.releaseSentAt, -hold.quantity});
    }
    // At equal times count the release first: never claim more than is sure.
    std::sort(steps.begin(), steps.end());
    int current = 0;
    int most = 0;
    for (const auto &[at, change] : std::as_const(steps)) {
        current += change;
        most = qMax(most, current);
    }
    return most;
}

} // namespace Marquee::Test
