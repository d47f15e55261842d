#pragma once

#include "AvailabilityChange.h"

#include "Batch.h"
#include "Sql.h"
#include <QMap>
#include <QSqlDatabase>
#include <QStringList>

namespace Marquee {

class GroupEventWrites;

/// What one transaction does to events: seat states to announce and GA
/// counter deltas. Collected while the transaction works and written last,
/// one statement per event in event id order, because the event rows are the
/// last locks every path takes (the lock order in CHECKOUT.md): two
/// transactions touching the same events never wait for each other in
/// opposite orders. The same statement bumps the version, so versions follow
/// commit order per event.
class EventWrites
{
public:
    explicit EventWrites(QSqlDatabase db);

    void seat(qint64 eventId, const QString &slug, const QString &label, SeatState state);
    /// GA places moving between available, held and sold.
    void places(qint64 eventId, const QString &slug, int heldDelta, int soldDelta);
    bool isEmpty() const { return m_events.isEmpty(); }
    /// The slug of the first event (by id) written to, for the audit trail;
    /// empty when there is none.
    QString firstEvent() const { return m_events.isEmpty() ? QString() : m_events.first().slug; }

    /// Writes every event's change. An event whose capacity the deltas would
    /// exceed is not written: its slug is in \a full, nothing is returned
    /// and the caller rolls back (without \a full that throws). Returns the
    /// changes to announce after the commit.
    AvailabilityChanges flush(QStringList *full = nullptr);
    /// The same, its statements run at the end of \a alongside: what the
    /// caller still has to write goes to the database in the same round trip.
    /// Inside a group commit the changes are only checked and staged (see
    /// GroupEventWrites); none are returned, the group announces them.
    AvailabilityChanges flush(Sql::Batch &alongside, QStringList *full = nullptr);
    /// A GA event's places left, as this transaction sees them: for the
    /// answer to a hold that did not fit.
    int placesLeft(qint64 eventId) const;

private:
    struct Pending
    {
        QString slug;
        QHash<QString, SeatState> seats;
        bool general = false;
        int held = 0;
        int sold = 0;
    };

    /// Where an event's update and the row after it are in a Batch's answer
    /// (one statement on PostgreSQL, two on SQLite).
    struct Written
    {
        qsizetype changed;
        qsizetype row;
    };
    /// The event row's update: it changes no row when the places do not fit.
    static Written add(Sql::Batch &batch, qint64 eventId, const Pending &pending);
    /// flush() inside a group commit.
    void stage(GroupEventWrites &group, Sql::Batch &alongside, QStringList *full);
    /// Reads \a eventId's GA counts again into \a group (no lock).
    void relearn(GroupEventWrites &group, qint64 eventId) const;

    QSqlDatabase m_db;
    QMap<qint64, Pending> m_events; ///< ordered by event id: the lock order
};

} // namespace Marquee
