#include "ChannelHub.h"

#include "ChannelCloseCodes.h"
#include "ChannelGuard.h"
#include "ChannelSender.h"
#include "FanOutProgress.h"
#include "PlainLink.h"
#include "WebSocketFrame.h"
#include "WebSocketLink.h"

#include <QThread>
#include <QWebSocket>

namespace Marquee {

ChannelHub::ChannelHub(ChannelLimits limits, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
    , m_senders(limits.senderThreads, limits, m_counts)
{
    for (int i = 0; i < m_senders.size(); ++i) {
        ChannelSender *const sender = &m_senders.sender(i);
        connect(sender, &ChannelSender::resyncRequested, this,
            [this, sender](SubscriberLink *link, quint64 serial, const QString &event) {
                answerResync(sender, link, serial, event);
            });
    }
}

ChannelHub::~ChannelHub()
{
    // Every subscriber is closed and deleted on its own thread before the
    // store and the counts its thread reads go.
    m_senders.stop();
}

QList<int> ChannelHub::subscribersPerThread() const
{
    QList<int> loads;
    for (int i = 0; i < m_senders.size(); ++i)
        loads.append(m_senders.sender(i).load());
    return loads;
}

void ChannelHub::accept(std::unique_ptr<QWebSocket> owned, const QString &slug, QTcpSocket *tcp)
{
    QWebSocket *socket = owned.release();
    socket->setParent(this);
    socket->setMaxAllowedIncomingMessageSize(quint64(m_limits.maxIncomingMessage));
    socket->setMaxAllowedIncomingFrameSize(quint64(m_limits.maxIncomingMessage));

    if (!m_store.contains(slug)) {
        socket->close(QWebSocketProtocol::CloseCode(ChannelClose::UnknownEvent),
            QStringLiteral("unknown event"));
        socket->deleteLater();
        return;
    }
    // The socket goes to a sender thread on the next pass of this thread's
    // event loop, not now: Qt 6.4's QWebSocketServer has a second, stale call
    // of its handshake slot queued here, which peeks at the connection. Until
    // then the connection is kept from signalling, so nothing reads from it.
    // Qt's WebSocket server also keeps a slot on its disconnected() that
    // deletes it: from this thread, racing the sender thread, so it goes
    // (the socket's owner deletes it, see LimitedTcpServer::handOver).
    m_counts.add(slug);
    if (tcp) {
        QObject::disconnect(tcp, &QAbstractSocket::disconnected, nullptr, nullptr);
        tcp->blockSignals(true);
    }
    QMetaObject::invokeMethod(
        this, [this, socket, tcp, slug] { moveToSender(socket, tcp, slug); }, Qt::QueuedConnection);
}

void ChannelHub::moveToSender(QWebSocket *socket, QTcpSocket *tcp, const QString &slug)
{
    if (tcp && tcp->state() != QAbstractSocket::ConnectedState) {
        m_counts.remove(slug); // gone before it was served
        socket->deleteLater();
        return;
    }
    ChannelSender &sender = m_senders.leastLoaded();
    // The snapshot of this moment goes to the sender in the same queued call
    // as the subscriber: every change announced from now on is queued behind
    // it, every one before is in it.
    const QByteArray snapshot = m_snapshots.frame(m_store, slug);
    if (auto handoff = PlainLink::takeOver(socket, tcp)) {
        sender.countIn();
        const auto taken = std::make_shared<PlainLink::Handoff>(std::move(*handoff));
        QMetaObject::invokeMethod(
            &sender,
            [&sender, taken, slug, snapshot, limits = m_limits] {
                sender.adopt(new PlainLink(std::move(*taken), limits), slug, snapshot);
            },
            Qt::QueuedConnection);
        return;
    }
    // TLS: QWebSocket reads, and a guard watches what it lets through.
    auto *const guard = tcp ? new ChannelGuard(socket, tcp, m_limits.maxUnsentBytes) : nullptr;
    if (guard && !guard->start()) {
        // Refused for what it sent with its upgrade.
        m_counts.remove(slug);
        tcp->blockSignals(false);
        socket->close(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("unmasked frame"));
        socket->deleteLater();
        return;
    }
    auto *const link = new WebSocketLink(socket, tcp, guard);
    sender.countIn();
    link->moveToThread(sender.thread());
    QMetaObject::invokeMethod(
        &sender, [&sender, link, slug, snapshot] { sender.adopt(link, slug, snapshot); },
        Qt::QueuedConnection);
}

void ChannelHub::publish(const AvailabilityChanges &changes)
{
    if (changes.isEmpty())
        return;
    // After the current event: the caller answers its HTTP request first, so
    // the customer who made the change does not wait for the fan-out. Queued
    // calls run in order, so commit order is kept.
    const Clock::time_point since = Clock::now();
    QMetaObject::invokeMethod(
        this, [this, changes, since] { receiveSince(changes, since); }, Qt::QueuedConnection);
}

void ChannelHub::receive(const AvailabilityChanges &changes)
{
    receiveSince(changes, Clock::now());
}

void ChannelHub::receiveSince(const AvailabilityChanges &changes, Clock::time_point since)
{
    for (const AvailabilityChange &change : changes)
        apply(change, since);
}

void ChannelHub::apply(const AvailabilityChange &change, Clock::time_point since)
{
    const qint64 current = m_store.version(change.event);
    if (current < 0 || change.version <= current)
        return; // unknown event, or already known
    if (change.version > current + 1) {
        // Another server committed the versions in between and its news is
        // still on the way. With a single server this never happens.
        m_pending[change.event].insert(change.version, Pending{change, since});
        QTimer *&timer = m_gapTimers[change.event];
        if (!timer) {
            timer = new QTimer(this);
            timer->setSingleShot(true);
            connect(timer, &QTimer::timeout, this,
                [this, event = change.event] { emit reloadNeeded(event); });
        }
        if (!timer->isActive())
            timer->start(m_gapTimeoutMs);
        return;
    }
    announce(change, since);
    drainPending(change.event);
}

void ChannelHub::drainPending(const QString &event)
{
    auto pending = m_pending.find(event);
    if (pending == m_pending.end())
        return;
    while (!pending->isEmpty()) {
        const qint64 current = m_store.version(event);
        const auto first = pending->begin();
        if (first.key() <= current) {
            pending->erase(first);
            continue;
        }
        if (first.key() != current + 1)
            return; // still waiting
        const Pending next = first.value();
        pending->erase(first);
        announce(next.change, next.since);
    }
    m_pending.erase(pending);
    if (QTimer *timer = m_gapTimers.value(event))
        timer->stop();
}

void ChannelHub::reloaded(const AvailabilityChange &full)
{
    if (full.version > m_store.version(full.event)) {
        m_store.replace(full);
        // Subscribers get the whole state again, as after a resync.
        if (m_counts.count(full.event) > 0)
            broadcast(full.event, m_snapshots.frame(m_store, full.event));
    }
    drainPending(full.event);
    if (m_pending.contains(full.event))
        m_gapTimers.value(full.event)->start(m_gapTimeoutMs);
}

void ChannelHub::announce(const AvailabilityChange &change, Clock::time_point since)
{
    const auto message = m_store.apply(change);
    if (!message)
        return;
    if (m_counts.count(change.event) == 0) {
        observe(Clock::now() - since); // nobody to tell
        return;
    }
    std::shared_ptr<FanOutProgress> progress;
    if (m_observer) {
        // Reported on this thread, whichever sender finishes last.
        progress = std::make_shared<FanOutProgress>(
            since, m_senders.size(), [this](std::chrono::microseconds took) {
                QMetaObject::invokeMethod(
                    this, [this, took] { observe(took); }, Qt::QueuedConnection);
            });
    }
    // Encoded once, for every subscriber on every thread.
    broadcast(change.event, WebSocketFrame::text(Protocol::encode(*message)), progress);
}

void ChannelHub::observe(Clock::duration took)
{
    if (m_observer)
        m_observer(std::chrono::duration_cast<std::chrono::microseconds>(took));
}

void ChannelHub::broadcast(
    const QString &event, const QByteArray &frame, const std::shared_ptr<FanOutProgress> &progress)
{
    for (int i = 0; i < m_senders.size(); ++i) {
        ChannelSender *const sender = &m_senders.sender(i);
        QMetaObject::invokeMethod(
            sender, [sender, event, frame, progress] { sender->deliver(event, frame, progress); },
            Qt::QueuedConnection);
    }
}

void ChannelHub::answerResync(
    ChannelSender *sender, SubscriberLink *link, quint64 serial, const QString &event)
{
    // The link lives on the sender's thread and is never touched here; the
    // snapshot is taken now and queued behind every change handed over so
    // far, so the updates after it follow without a gap.
    const QByteArray snapshot = m_snapshots.frame(m_store, event);
    if (snapshot.isEmpty())
        return;
    QMetaObject::invokeMethod(
        sender, [sender, link, serial, snapshot] { sender->answerResync(link, serial, snapshot); },
        Qt::QueuedConnection);
}

} // namespace Marquee
