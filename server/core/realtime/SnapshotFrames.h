#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace Marquee {

class AvailabilityStore;

/// Each event's snapshot as a channel frame, built once per version: every
/// subscriber that joins or asks again at that version gets the same bytes,
/// and they are the bytes GET …/availability answers (the store's encoded
/// snapshot) behind a frame header.
class SnapshotFrames
{
public:
    /// Empty for an unknown event.
    QByteArray frame(const AvailabilityStore &store, const QString &event);

private:
    struct Cached
    {
        QByteArray json; ///< the store's encoding it was built from
        QByteArray frame;
    };
    QHash<QString, Cached> m_frames;
};

} // namespace Marquee
