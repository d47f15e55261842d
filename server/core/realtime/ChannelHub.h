#pragma once

#include "AvailabilityStore.h"
#include "ChannelLimits.h"
#include "SenderPool.h"
#include "SnapshotFrames.h"
#include "SubscriberCounts.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>

class QTcpSocket;
class QThread;
class QWebSocket;

namespace Marquee {

class ChannelSender;
class FanOutProgress;
class SubscriberLink;

/// The event channels: accepts WebSocket subscribers, sends each its
/// snapshot, and fans every committed change out to the event's subscribers.
///
/// The hub lives on the socket thread (the one that answers HTTP) and keeps
/// the order: it applies changes to the store in version order per event,
/// encodes each announcement once, as a WebSocket frame, and hands it with
/// one queued call to each sender thread (SenderPool), which writes it to
/// its share of the subscribers. A new subscriber's socket moves to the
/// sender thread with the fewest, behind a queued call that carries its
/// snapshot; a resync is answered the same way. Queued calls from one thread
/// to another run in the order they were made, so every subscriber gets its
/// snapshot and then each later change, in version order, once. A thread
/// held up by one client's writes holds up only its own share.
///
/// Memory per idle subscriber (tests/bench/RESULTS.md): a plain connection
/// is kept as a fresh QTcpSocket and a small reader, without the QWebSocket
/// it was upgraded by.
class ChannelHub : public QObject
{
    Q_OBJECT

public:
    using FanOutObserver = std::function<void(std::chrono::microseconds)>;

    /// Starts the sender threads (ChannelLimits::senderThreads).
    explicit ChannelHub(ChannelLimits limits = {}, QObject *parent = nullptr);
    ~ChannelHub() override;

    AvailabilityStore &store() { return m_store; }
    /// Subscribers of \a event now, on every sender thread (any thread may ask).
    int subscriberCount(const QString &event) const { return m_counts.count(event); }
    /// Subscribers each sender thread serves (tests, metrics).
    QList<int> subscribersPerThread() const;
    /// Sender thread \a i (tests).
    QThread *senderThread(int i) const { return m_senders.thread(i); }

    /// Called on this thread once per announced change (one per event a
    /// change touched; duplicates and reloads are not announcements) with the
    /// time from its publish() or receive() until the last sender thread had
    /// handed the frame to each of its subscribers: to the kernel (send()
    /// returned, or for TLS the encrypted bytes flushed); for a subscriber
    /// with a backlog, into its queue behind that backlog. It includes the
    /// wait behind earlier versions of the event (see apply()) and the
    /// queues between the threads. An event without subscribers reports how
    /// long the change took to be announced.
    void setFanOutObserver(FanOutObserver observer) { m_observer = std::move(observer); }

    /// Takes a socket that asked for /events/{slug}/messages; \a tcp is the
    /// connection it was upgraded from. A plain one is taken over from Qt
    /// (PlainLink); with TLS the QWebSocket stays, watched (WebSocketLink).
    void accept(std::unique_ptr<QWebSocket> socket, const QString &slug, QTcpSocket *tcp = nullptr);
    /// Changes this server committed: announced here right after the
    /// current event. (Other servers heard of them as they committed.)
    void publish(const AvailabilityChanges &changes);
    /// Changes another server committed, as the relay heard of them.
    void receive(const AvailabilityChanges &changes);
    /// A full state read from the database after a gap (see reloadNeeded).
    void reloaded(const AvailabilityChange &full);

signals:
    /// Versions of \a event are missing; read it again from the database
    /// and hand it to reloaded().
    void reloadNeeded(const QString &event);

private:
    using Clock = std::chrono::steady_clock;
    struct Pending
    {
        AvailabilityChange change;
        Clock::time_point since; ///< its publish() or receive()
    };

    void moveToSender(QWebSocket *socket, QTcpSocket *tcp, const QString &slug);
    void receiveSince(const AvailabilityChanges &changes, Clock::time_point since);
    /// Applies changes strictly in version order per event: a change that
    /// arrives before its predecessors waits for them, for a while.
    void apply(const AvailabilityChange &change, Clock::time_point since);
    void drainPending(const QString &event);
    void announce(const AvailabilityChange &change, Clock::time_point since);
    void observe(Clock::duration took);
    /// \a frame to every subscriber of \a event, on every sender thread.
    void broadcast(const QString &event, const QByteArray &frame,
        const std::shared_ptr<FanOutProgress> &progress = {});
    void answerResync(
        ChannelSender *sender, SubscriberLink *link, quint64 serial, const QString &event);

    ChannelLimits m_limits;
    AvailabilityStore m_store;
    SnapshotFrames m_snapshots;
    SubscriberCounts m_counts;
    SenderPool m_senders; ///< after m_counts, which its threads use until they stop
    FanOutObserver m_observer;
    /// How long a change may wait for the versions before it (committed by
    /// another server, announced out of order) before the event is reloaded.
    int m_gapTimeoutMs = 250;
    QHash<QString, QMap<qint64, Pending>> m_pending; ///< by event, by version
    QHash<QString, QTimer *> m_gapTimers;
};

} // namespace Marquee
