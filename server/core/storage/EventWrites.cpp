#include "EventWrites.h"

#include "ConnectionState.h"
#include "GroupEventWrites.h"
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

EventWrites::Written EventWrites::add(Sql::Batch &batch, qint64 eventId, const Pending &pending)
{
    const QString update = QStringLiteral(
        "UPDATE events SET version = version + 1, ga_held = ga_held + ?, ga_sold = ga_sold + ?"
        " WHERE id = ? AND ga_held + ga_sold + ? <= capacity");
    const QVariantList values{pending.held, pending.sold, eventId, pending.held + pending.sold};
    if (!Sql::isSqlite(batch.database())) {
        const qsizetype row = batch.add(
            update + QStringLiteral(" RETURNING version, capacity, ga_held, ga_sold"), values);
        return {row, row};
    }
    // SQLite compiles RETURNING into a temporary trigger at every prepare,
    // which cost more than the second statement (measured: a third of the
    // hold throughput, in malloc and page-table work).
    const qsizetype changed = batch.add(update, values);
    return {changed,
        batch.add(
            QStringLiteral("SELECT version, capacity, ga_held, ga_sold FROM events WHERE id = ?"),
            {eventId})};
}

AvailabilityChanges EventWrites::flush(QStringList *full)
{
    Sql::Batch batch(m_db);
    return flush(batch, full);
}

AvailabilityChanges EventWrites::flush(Sql::Batch &alongside, QStringList *full)
{
    if (GroupEventWrites *const group = ConnectionState::of(m_db).nesting.group) {
        stage(*group, alongside, full);
        return {};
    }
    QList<Written> written;
    for (auto it = m_events.cbegin(); it != m_events.cend(); ++it)
        written.append(add(alongside, it.key(), it.value()));
    const QList<Sql::Table> tables = alongside.run();
    AvailabilityChanges changes;
    qsizetype index = 0;
    for (auto it = m_events.cbegin(); it != m_events.cend(); ++it, ++index) {
        const Pending &pending = it.value();
        const Sql::Table &changed = tables.at(written.at(index).changed);
        const Sql::Table &row = tables.at(written.at(index).row);
        // The condition is the GA check: it holds for seated events (no
        // places) and for releases; a hold that does not fit changes no row.
        if (changed.affected != 1 || row.isEmpty()) {
            // Only a change that takes places can fail here, and its caller
            // asks to hear of it; anything else is a bug that must not commit.
            if (!full)
                throw StorageError(
                    QStringLiteral("event %1 has no room for a change that takes none")
                        .arg(pending.slug));
            full->append(pending.slug);
            m_events.clear();
            return {};
        }
        AvailabilityChange change;
        change.event = pending.slug;
        change.version = row.value(0, 0).toLongLong();
        if (pending.general) {
            change.kind = EventKind::General;
            change.capacity = row.value(0, 1).toInt();
            change.available = change.capacity - row.value(0, 2).toInt() - row.value(0, 3).toInt();
        } else {
            change.kind = EventKind::Seated;
            change.seats = pending.seats;
        }
        changes.append(change);
    }
    m_events.clear();
    return changes;
}

void EventWrites::stage(GroupEventWrites &group, Sql::Batch &alongside, QStringList *full)
{
    // An event the group has not read yet is read with the caller's writes,
    // without a lock: the group's one update checks again (GroupEventWrites).
    QHash<qint64, qsizetype> reads;
    for (auto it = m_events.cbegin(); it != m_events.cend(); ++it) {
        if (!group.knows(it.key()))
            reads.insert(it.key(),
                alongside.add(
                    QStringLiteral("SELECT capacity, ga_held, ga_sold FROM events WHERE id = ?"),
                    {it.key()}));
    }
    const QList<Sql::Table> tables = alongside.run();
    for (auto it = reads.cbegin(); it != reads.cend(); ++it) {
        const Sql::Table &row = tables.at(it.value());
        if (row.isEmpty())
            throw StorageError(QStringLiteral("event %1 is gone").arg(it.key()));
        group.learn(
            it.key(), {row.value(0, 0).toInt(), row.value(0, 1).toInt(), row.value(0, 2).toInt()});
    }
    // All checked before any is staged: a change to several events is
    // staged whole or not at all.
    for (auto it = m_events.cbegin(); it != m_events.cend(); ++it) {
        const int taking = it->held + it->sold;
        if (taking <= 0 || taking <= group.placesLeft(it.key()))
            continue;
        // The counts read may be stale the other way too: another server
        // may have released places since. A refusal is final, so it is
        // only given against the counts as committed now.
        relearn(group, it.key());
        if (taking <= group.placesLeft(it.key()))
            continue;
        if (!full)
            throw StorageError(
                QStringLiteral("event %1 has no room for a change that takes none").arg(it->slug));
        full->append(it->slug);
        m_events.clear();
        return;
    }
    for (auto it = m_events.cbegin(); it != m_events.cend(); ++it)
        group.stage(it.key(), it->slug, it->general, it->seats, it->held, it->sold);
    m_events.clear();
}

void EventWrites::relearn(GroupEventWrites &group, qint64 eventId) const
{
    Sql::Rows row = Sql::exec(m_db,
        QStringLiteral("SELECT capacity, ga_held, ga_sold FROM events WHERE id = ?"), {eventId});
    if (!row.next())
        throw StorageError(QStringLiteral("event %1 is gone").arg(eventId));
    group.learn(eventId, {row.value(0).toInt(), row.value(1).toInt(), row.value(2).toInt()});
}

int EventWrites::placesLeft(qint64 eventId) const
{
    if (const GroupEventWrites *const group = ConnectionState::of(m_db).nesting.group)
        return group->placesLeft(eventId);
    return Sql::scalar(m_db,
        QStringLiteral("SELECT capacity - ga_held - ga_sold FROM events WHERE id = ?"), {eventId})
        .toInt();
}

} // namespace Marquee
