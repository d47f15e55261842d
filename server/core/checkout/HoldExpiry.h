#pragma once

#include "HoldService.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QTimer>
#include <optional>

namespace Marquee {

class ChannelHub;
class Clock;
class Storage;

/// Releases abandoned holds at their expiry. One timer, set for the
/// database's earliest `expires_at` — no polling loop. Every server runs one:
/// a server hears of the holds the others make through their change notices
/// (expect()), so a hold is released on time even when the server that made
/// it is gone; each hold is released once (HoldService::releaseExpired).
/// Each hold is released in its own transaction: one whose release keeps
/// failing is retried on its own and never holds up the others.
class HoldExpiry : public QObject
{
    Q_OBJECT

public:
    HoldExpiry(Storage &storage, ChannelHub &hub, const Clock &clock, HoldRules rules,
        QObject *parent = nullptr);

    /// A hold was made (here or on another server) that expires at \a at.
    void expect(const QDateTime &at);
    /// Releases everything due now (also what expired while the server was
    /// down), then sets the timer for the database's next expiry.
    void releaseDue();

    QDateTime nextRun() const { return m_timer.isActive() ? m_next : QDateTime(); }
    bool running() const { return m_running; }
    /// How long a hold whose release failed waits before the next try.
    static constexpr int RetrySeconds = 5;

signals:
    /// \a holds ran out and were released by this server (and announced).
    void released(int holds);

private:
    struct Run
    {
        AvailabilityChanges changes;
        int released = 0; ///< holds
        QHash<QString, QString> failed; ///< hold id (empty: the next expiry) -> error
        QStringList busy; ///< due, but locked by another transaction
        std::optional<QDateTime> next;
    };
    void finish(const Run &run);
    void schedule(const std::optional<QDateTime> &at);

    Storage &m_storage;
    ChannelHub &m_hub;
    const Clock &m_clock;
    HoldRules m_rules;
    QTimer m_timer;
    QDateTime m_next;
    QHash<QString, QDateTime> m_retry; ///< holds whose release failed -> when to try again
    bool m_running = false;
    std::optional<QDateTime> m_heardDuringRun; ///< expect() while a run was under way
    bool m_runAgain = false;
};

} // namespace Marquee
