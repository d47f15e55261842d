#include "EventRepository.h"

#include "Clock.h"
#include "Sql.h"

namespace Marquee {

namespace {

const QString selectEvents = QStringLiteral(
    "SELECT e.id, e.slug, e.name, e.kind, e.starts_at, v.name, e.currency, e.capacity,"
    " e.time_zone"
    " FROM events e JOIN venues v ON v.id = e.venue_id");

EventInfo readEvent(const Sql::Rows &query)
{
    EventInfo event;
    event.id = query.value(0).toLongLong();
    event.slug = query.value(1).toString();
    event.name = query.value(2).toString();
    event.kind = eventKindFromString(query.value(3).toString()).value_or(EventKind::Seated);
    event.startsAt = isoUtc(Sql::time(query.value(4)));
    event.venue = query.value(5).toString();
    event.currency = query.value(6).toString();
    event.capacity = query.value(7).toInt();
    event.timeZone = query.value(8).toString();
    return event;
}

} // namespace

EventRepository::EventRepository(QSqlDatabase db)
    : m_db(std::move(db))
{
}

QList<EventInfo> EventRepository::list() const
{
    QList<EventInfo> events;
    Sql::Rows query
        = Sql::exec(m_db, selectEvents + QStringLiteral(" ORDER BY e.starts_at, e.slug"));
    while (query.next())
        events.append(readEvent(query));
    return events;
}

std::optional<EventInfo> EventRepository::find(const QString &slug) const
{
    Sql::Rows query = Sql::exec(m_db, selectEvents + QStringLiteral(" WHERE e.slug = ?"), {slug});
    if (!query.next())
        return std::nullopt;
    EventInfo event = readEvent(query);
    event.categories = categories(event.id);
    return event;
}

QList<PriceCategory> EventRepository::categories(qint64 eventId) const
{
    QList<PriceCategory> all;
    Sql::Rows query = Sql::exec(m_db,
        QStringLiteral("SELECT id, code, name, price, color FROM price_categories"
                       " WHERE event_id = ? ORDER BY price DESC, code"),
        {eventId});
    while (query.next()) {
        all.append({query.value(0).toLongLong(), query.value(1).toString(),
            query.value(2).toString(), query.value(3).toLongLong(), query.value(4).toString()});
    }
    return all;
}

QList<EventInfo> EventRepository::catalog() const
{
    const ReadSnapshot snapshot(m_db);
    QList<EventInfo> events = list();
    for (EventInfo &event : events) {
        event.categories = categories(event.id);
        if (event.kind == EventKind::Seated)
            event.planSvg = planSvg(event.slug).value_or(QByteArray());
    }
    return events;
}

std::optional<QByteArray> EventRepository::planSvg(const QString &slug) const
{
    const QVariant svg = Sql::scalar(m_db,
        QStringLiteral("SELECT p.svg FROM event_plans p JOIN events e ON e.id = p.event_id"
                       " WHERE e.slug = ? AND e.kind = 'seated'"),
        {slug});
    if (svg.isNull())
        return std::nullopt;
    return svg.toString().toUtf8();
}

AvailabilityChanges EventRepository::loadAvailability(const QString &slug) const
{
    // Versions and seats from one snapshot: a commit between the two reads
    // would pair a version with states that are not its own.
    const ReadSnapshot snapshot(m_db);
    AvailabilityChanges all;
    const QString select
        = QStringLiteral("SELECT id, slug, kind, version, capacity, ga_held, ga_sold FROM events");
    Sql::Rows events = slug.isEmpty()
        ? Sql::exec(m_db, select)
        : Sql::exec(m_db, select + QStringLiteral(" WHERE slug = ?"), {slug});
    while (events.next()) {
        AvailabilityChange state;
        const qint64 id = events.value(0).toLongLong();
        state.event = events.value(1).toString();
        state.kind = eventKindFromString(events.value(2).toString()).value_or(EventKind::Seated);
        state.version = events.value(3).toLongLong();
        if (state.kind == EventKind::General) {
            state.capacity = events.value(4).toInt();
            state.available = state.capacity - events.value(5).toInt() - events.value(6).toInt();
        } else {
            Sql::Rows seats = Sql::exec(m_db,
                QStringLiteral("SELECT s.label, s.blocked, c.kind FROM seats s"
                               " LEFT JOIN seat_claims c ON c.seat_id = s.id WHERE s.event_id = ?"),
                {id});
            while (seats.next()) {
                SeatState seat = SeatState::Available;
                if (seats.value(1).toInt() == 1)
                    seat = SeatState::Blocked;
                else if (!seats.value(2).isNull())
                    seat = seats.value(2).toString() == QLatin1String("sold") ? SeatState::Sold
                                                                              : SeatState::Held;
                state.seats.insert(seats.value(0).toString(), seat);
            }
        }
        all.append(state);
    }
    return all;
}

} // namespace Marquee
