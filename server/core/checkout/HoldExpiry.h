#pragma once

#include "HoldService.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

namespace Marquee {

class ChannelHub;
class Clock;
class Storage;

/// Releases abandoned holds. One timer fires at the next expiry — no polling
/// loop — releases what is due in one transaction, announces it and sets
/// itself for the expiry after that.
class HoldExpiry : public QObject
{
    Q_OBJECT

public:
    HoldExpiry(Storage &storage, ChannelHub &hub, const Clock &clock, HoldRules rules,
        QObject *parent = nullptr);

    /// A hold was made that expires at \a at.
    void expect(const QDateTime &at);
    /// Releases everything due now (also what expired while the server was
    /// down) and schedules the next run.
    void releaseDue();

    QDateTime nextRun() const { return m_timer.isActive() ? m_next : QDateTime(); }

private:
    void schedule(const std::optional<QDateTime> &at);

    Storage &m_storage;
    ChannelHub &m_hub;
    const Clock &m_clock;
    HoldRules m_rules;
    QTimer m_timer;
    QDateTime m_next;
};

} // namespace Marquee
