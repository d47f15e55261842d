#pragma once

#include "AvailabilityChange.h"

#include "Sql.h"
#include <QMap>
#include <QSqlDatabase>
#include <QStringList>

namespace Marquee {

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

    /// Writes every event's change. An event whose capacity the deltas would
    /// exceed is not written: its slug is in \a full, nothing is returned
    /// and the caller rolls back (without \a full that throws). Returns the
    /// changes to announce after the commit.
    AvailabilityChanges flush(QStringList *full = nullptr);

private:
    struct Pending
    {
        QString slug;
        QHash<QString, SeatState> seats;
        bool general = false;
        int held = 0;
        int sold = 0;
    };

    /// The event row's update; its result has the row after it, or no row
    /// when the places did not fit.
    Sql::Rows write(qint64 eventId, const Pending &pending) const;

    QSqlDatabase m_db;
    QMap<qint64, Pending> m_events; ///< ordered by event id: the lock order
};

} // namespace Marquee
