#pragma once

#include "SeatState.h"

#include <QHash>
#include <QList>
#include <QString>

namespace Marquee {

class EventWrites;

/// What the jobs of one group commit do to events, written once per event
/// when the group commits instead of once per job.
///
/// Every hold and release bumps its event's version, and on PostgreSQL the
/// row lock of that update is held until the commit: with one update per
/// job, a group held its events' rows from its first job to its COMMIT,
/// and three servers' groups ran one after the other (RESULTS.md, the run
/// of 14:03). Within a group each job's EventWrites therefore only stages
/// what it does here; Storage writes the sum as one update per event, in id
/// order, right before the COMMIT, so a row is locked for that moment
/// only, and the group's changes to an event go out as one message with
/// one version (the channel contract: changes that commit together may
/// share one message), or a few in a row when a seat changes twice (see
/// parts below).
///
/// A GA hold is checked against the event's counts as committed when the
/// group first read them, plus what the group's earlier jobs staged (and,
/// before a refusal, against the counts read again: EventWrites). The
/// group's update repeats the check in its condition: when another server
/// took places in between and the sum no longer fits, the update changes
/// nothing, the group rolls back, and its jobs run again alone.
///
/// A seat the group already changed and a later job changes again (one
/// released it, the next held it) goes into a later part: each part is
/// written and announced with its own version, so no message hides a step
/// of a seat (held, then held again, would look like a seat held twice).
/// A change goes into the part after the last one that touched one of its
/// seats, or into the first: an event is in a later part only if it is in
/// the first, so its row is locked in the first part's id order.
class GroupEventWrites
{
public:
    /// An event's GA counts as read at the group's first touch.
    struct Counts
    {
        int capacity = 0;
        int held = 0;
        int sold = 0;
    };

    bool knows(qint64 eventId) const { return m_read.contains(eventId); }
    void learn(qint64 eventId, Counts counts) { m_read.insert(eventId, counts); }
    /// GA places left: as read, less what the staged jobs take.
    int placesLeft(qint64 eventId) const;

    void stage(qint64 eventId, const QString &slug, bool general,
        const QHash<QString, SeatState> &seats, int heldDelta, int soldDelta);
    /// Staged parts so far; a savepoint that rolls back truncates to what
    /// it found (Transaction), so a refused job leaves nothing here.
    qsizetype size() const { return m_staged.size(); }
    void truncate(qsizetype size) { m_staged.resize(std::min(size, m_staged.size())); }
    bool isEmpty() const { return m_staged.isEmpty(); }

    /// Parts to write, one after the other (at least one when not empty).
    int parts() const;
    /// What part \a part staged, in order (a later job's seat state wins,
    /// GA counts add up), as the writes of one update per event.
    void mergeInto(EventWrites &writes, int part) const;

private:
    struct Staged
    {
        qint64 eventId = 0;
        QString slug;
        bool general = false;
        QHash<QString, SeatState> seats;
        int held = 0;
        int sold = 0;
        int part = 0;
    };

    /// The part a change to \a seats of \a eventId goes into.
    int partFor(qint64 eventId, const QHash<QString, SeatState> &seats) const;

    QHash<qint64, Counts> m_read;
    QList<Staged> m_staged;
};

} // namespace Marquee
