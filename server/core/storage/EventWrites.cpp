#include "EventWrites.h"

#include "Sql.h"

namespace Marquee {

EventWrites::EventWrites(QSqlDatabase db)
    : m_db(std::move(db))
{
}

void EventWrites::seat(qint64 eventId, const QString &slug, const QString &label, SeatState state)
{
    Pending &pending = m_events[eventId];
    pending.slug = slug;
    pending.seats.insert(label, state);
}

void EventWrites::places(qint64 eventId, const QString &slug, int heldDelta, int soldDelta)
{
    Pending &pending = m_events[eventId];
    pending.slug = slug;
    pending.general = true;
    pending.held += heldDelta;
    pending.sold += soldDelta;
}

AvailabilityChanges EventWrites::flush(QStringList *full)
{
    AvailabilityChanges changes;
    for (auto it = m_events.cbegin(); it != m_events.cend(); ++it) {
        const Pending &pending = it.value();
        // The condition is the GA check: it holds for seated events (no
        // places) and for releases; a hold that does not fit changes no row.
        QSqlQuery row = Sql::exec(m_db,
            QStringLiteral(
                "UPDATE events SET version = version + 1, ga_held = ga_held + ?,"
                " ga_sold = ga_sold + ? WHERE id = ? AND ga_held + ga_sold + ? <= capacity"
                " RETURNING version, capacity, ga_held, ga_sold"),
            {pending.held, pending.sold, it.key(), pending.held + pending.sold});
        if (!row.next()) {
            // Only a change that takes places can fail here, and its caller
            // asks to hear of it; anything else is a bug that must not commit.
            if (!full)
                throw StorageError(
                    QStringLiteral("event %1 has no room for a change that takes none")
                        .arg(pending.slug));
            full->append(pending.slug);
            return {};
        }
        AvailabilityChange change;
        change.event = pending.slug;
        change.version = row.value(0).toLongLong();
        if (pending.general) {
            change.kind = EventKind::General;
            change.capacity = row.value(1).toInt();
            change.available = change.capacity - row.value(2).toInt() - row.value(3).toInt();
        } else {
            change.kind = EventKind::Seated;
            change.seats = pending.seats;
        }
        changes.append(change);
    }
    m_events.clear();
    return changes;
}

} // namespace Marquee
