#pragma once

#include "ChannelLimits.h"
#include "SubscriberLink.h" // complete: a queued signal carries a pointer to one

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

class QThread;

namespace Marquee {

class FanOutProgress;
class SubscriberCounts;

/// The subscribers of one sender thread. It lives on that thread with their
/// connections (SubscriberLink) and does everything that touches them: each
/// one's snapshot, every change the hub hands over (one queued call per
/// change for all of them, the frame encoded once), pings, the message rate,
/// and dropping clients that fall behind or misbehave. The hub talks to it
/// only through queued calls, which run in the order they were made: per
/// subscriber, frames leave in the order the hub handed them over.
class ChannelSender : public QObject
{
    Q_OBJECT

public:
    ChannelSender(ChannelLimits limits, SubscriberCounts &counts);

    /// Subscribers taken and not yet let go; the hub counts one in (from
    /// its thread) before it hands it over. Read from any thread.
    int load() const { return m_load.load(std::memory_order_relaxed); }
    void countIn() { m_load.fetch_add(1, std::memory_order_relaxed); }

    // On this sender's thread, called by the hub through queued calls.

    /// Once the thread runs: starts the pings.
    void start();
    /// Takes \a link (made or moved here) as a subscriber of \a event; it
    /// gets \a snapshot first.
    void adopt(SubscriberLink *link, const QString &event, const QByteArray &snapshot);
    /// \a frame to every subscriber of \a event.
    void deliver(const QString &event, const QByteArray &frame,
        const std::shared_ptr<FanOutProgress> &progress);
    /// A fresh snapshot for one subscriber that asked (resyncRequested).
    void answerResync(SubscriberLink *link, quint64 serial, const QByteArray &snapshot);
    /// The thread's last job: closes and deletes every subscriber here, then
    /// moves this object to \a home, to be deleted there.
    void closeAll(QThread *home);

signals:
    /// \a link asked for a fresh snapshot of \a event; \a serial tells it
    /// from a later link at the same address.
    void resyncRequested(SubscriberLink *link, quint64 serial, const QString &event);

private:
    struct Subscriber
    {
        QString event;
        quint64 serial = 0;
        qint64 windowStart = 0;
        int messagesInWindow = 0;
        qsizetype index = 0; ///< in m_byEvent[event]
        bool awaitingPong = false;
    };

    void onMessage(SubscriberLink *link, const QString &text);
    void onPong(SubscriberLink *link);
    /// Writes \a frame unless the subscriber is too far behind; false then
    /// (it is dropped).
    bool send(SubscriberLink *link, const QByteArray &frame);
    void drop(SubscriberLink *link, int closeCode, const QString &reason);
    void countOut(const QString &event);
    void pingAll();

    ChannelLimits m_limits;
    SubscriberCounts &m_counts;
    std::atomic<int> m_load{0};
    QHash<SubscriberLink *, Subscriber> m_subscribers;
    QHash<QString, QList<SubscriberLink *>> m_byEvent;
    quint64 m_serial = 0;
    QTimer m_pingTimer;
};

} // namespace Marquee
