#pragma once

#include "Protocol.h"
#include "SeatState.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <optional>

namespace Marquee {

/// What the counter believes about one event's availability right now: the
/// state of every seat (seated) or the available count (general admission),
/// plus the version it came with. It applies the channel's absolute messages
/// in version order and says when it has fallen behind.
class AvailabilityModel : public QObject
{
    Q_OBJECT

public:
    enum class ApplyResult
    {
        Applied,
        Stale, ///< older than what we have; ignored
        Gap, ///< a version was skipped; ignored, a snapshot is needed
        OtherEvent, ///< for another event; ignored
        Invalid, ///< an update before any snapshot, or of the wrong kind
    };

    explicit AvailabilityModel(QObject *parent = nullptr);

    /// Forgets everything and waits for \a event's snapshot.
    void reset(const QString &event, EventKind kind);
    ApplyResult apply(const Protocol::ChannelMessage &message);

    QString event() const { return m_event; }
    EventKind kind() const { return m_kind; }
    bool hasSnapshot() const { return m_hasSnapshot; }
    /// True after a gap until the next snapshot arrives.
    bool isBehind() const { return m_behind; }
    qint64 version() const { return m_version; }

    /// nullopt for seats the server has not told us about (yet).
    std::optional<SeatState> seatState(const QString &label) const;
    const QHash<QString, SeatState> &seats() const { return m_seats; }
    int available() const { return m_available; }
    int capacity() const { return m_capacity; }

signals:
    /// One per seat whose state differs from before, snapshots included;
    /// seatState() tells the new state (nullopt when a snapshot dropped it).
    void seatChanged(const QString &label);
    void countsChanged(int available, int capacity);
    /// Any applied message; \a version is the model's new version.
    void updated(qint64 version);
    /// A version gap: the owner should ask the channel for a snapshot.
    void resyncNeeded();
    /// Everything was forgotten (another event, or a fresh start).
    void cleared();

private:
    void applySeats(const QHash<QString, SeatState> &seats, bool replaceAll);
    void applyCounts(int available, int capacity);

    QString m_event;
    EventKind m_kind = EventKind::Seated;
    bool m_hasSnapshot = false;
    bool m_behind = false;
    qint64 m_version = 0;
    QHash<QString, SeatState> m_seats;
    int m_available = 0;
    int m_capacity = 0;
};

} // namespace Marquee
