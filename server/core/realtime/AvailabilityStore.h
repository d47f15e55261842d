#pragma once

#include "AvailabilityChange.h"
#include "Protocol.h"

#include <QHash>
#include <optional>

namespace Marquee {

/// Every event's current availability and version, in memory, on one thread.
/// Changes are applied in commit order, and snapshots and updates are both
/// served from here, so a subscriber's snapshot and the updates after it form
/// one unbroken sequence and a snapshot costs no database round trip.
class AvailabilityStore
{
public:
    /// Replaces everything (start-up).
    void load(const AvailabilityChanges &full);

    bool contains(const QString &event) const { return m_events.contains(event); }
    /// The event's version, or -1 for an unknown event.
    qint64 version(const QString &event) const;
    /// Replaces one event's state with a full one read from the database.
    void replace(const AvailabilityChange &full) { m_events.insert(full.event, full); }

    /// Applies a committed change. Returns the update to announce, or nullopt
    /// for a change that is not newer than what is known (a duplicate).
    std::optional<Protocol::ChannelMessage> apply(const AvailabilityChange &change);

    std::optional<Protocol::ChannelMessage> snapshot(const QString &event) const;
    /// The snapshot as sent, encoded once per version: every new subscriber
    /// and every availability request gets the same bytes.
    QByteArray encodedSnapshot(const QString &event) const;

private:
    QHash<QString, AvailabilityChange> m_events;
    struct Encoded
    {
        qint64 version = -1;
        QByteArray bytes;
    };
    mutable QHash<QString, Encoded> m_encoded;
};

} // namespace Marquee
