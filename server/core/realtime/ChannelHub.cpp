#include "ChannelHub.h"

#include "ChannelGuard.h"

#include <QDateTime>
#include <QWebSocket>

namespace Marquee {

using Protocol::ChannelMessage;

namespace {
// Close codes in the private range: the client can tell them apart.
constexpr int CloseUnknownEvent = 4404;
constexpr int CloseTooSlow = 4408;
constexpr int CloseFlood = 4429;
} // namespace

ChannelHub::ChannelHub(ChannelLimits limits, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
{
    m_pingTimer.setInterval(m_limits.pingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &ChannelHub::pingAll);
    m_pingTimer.start();
}

ChannelHub::~ChannelHub()
{
    // Sockets are children; disconnect first so their last signals do not
    // reach a half-destroyed hub.
    for (QWebSocket *socket : m_subscribers.keys())
        socket->disconnect(this);
}

void ChannelHub::accept(std::unique_ptr<QWebSocket> owned, const QString &slug, QTcpSocket *tcp)
{
    QWebSocket *socket = owned.release();
    socket->setParent(this);
    socket->setMaxAllowedIncomingMessageSize(quint64(m_limits.maxIncomingMessage));
    socket->setMaxAllowedIncomingFrameSize(quint64(m_limits.maxIncomingMessage));

    if (!m_store.contains(slug)) {
        socket->close(
            QWebSocketProtocol::CloseCode(CloseUnknownEvent), QStringLiteral("unknown event"));
        socket->deleteLater();
        return;
    }

    m_subscribers.insert(
        socket, Subscriber{slug, QDateTime::currentMSecsSinceEpoch(), 0, false, tcp});
    m_byEvent[slug].append(socket);
    // Queued: the guard judges the frames of a message right after QWebSocket
    // read them, and a client it drops is gone before its message is handled.
    connect(
        socket, &QWebSocket::textMessageReceived, this,
        [this, socket](const QString &text) { onMessage(socket, text); }, Qt::QueuedConnection);
    connect(
        socket, &QWebSocket::binaryMessageReceived, this,
        [this, socket](const QByteArray &) { onMessage(socket, QString()); }, Qt::QueuedConnection);
    connect(socket, &QWebSocket::pong, this, [this, socket] {
        auto it = m_subscribers.find(socket);
        if (it != m_subscribers.end())
            it->awaitingPong = false;
    });
    connect(socket, &QWebSocket::disconnected, this,
        [this, socket] { drop(socket, int(QWebSocketProtocol::CloseCodeNormal), {}); });
    if (tcp) {
        auto *guard = new ChannelGuard(socket, tcp, m_limits.maxUnsentBytes);
        connect(guard, &ChannelGuard::unmaskedFrame, this, [this, socket] {
            drop(socket, int(QWebSocketProtocol::CloseCodeProtocolError),
                QStringLiteral("unmasked frame"));
        });
        connect(guard, &ChannelGuard::tooMuchUnsent, this,
            [this, socket] { drop(socket, CloseTooSlow, QStringLiteral("too slow")); });
        guard->start();
        if (!m_subscribers.contains(socket))
            return; // dropped for what it sent with its upgrade
    }

    send(socket, QString::fromUtf8(m_store.encodedSnapshot(slug)));
}

void ChannelHub::publish(const AvailabilityChanges &changes)
{
    if (changes.isEmpty())
        return;
    // After the current event: the caller answers its HTTP request first, so
    // the customer who made the change does not wait behind thousands of
    // frames. Queued calls run in order, so commit order is kept.
    QMetaObject::invokeMethod(
        this, [this, changes] { receive(changes); }, Qt::QueuedConnection);
}

void ChannelHub::receive(const AvailabilityChanges &changes)
{
    for (const AvailabilityChange &change : changes)
        apply(change);
}

void ChannelHub::apply(const AvailabilityChange &change)
{
    const qint64 current = m_store.version(change.event);
    if (current < 0 || change.version <= current)
        return; // unknown event, or already known
    if (change.version > current + 1) {
        // Another server committed the versions in between and its news is
        // still on the way. With a single server this never happens.
        m_pending[change.event].insert(change.version, change);
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
    if (const auto message = m_store.apply(change))
        broadcast(change.event, *message);
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
        const AvailabilityChange next = first.value();
        pending->erase(first);
        if (const auto message = m_store.apply(next))
            broadcast(event, *message);
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
        if (const auto snapshot = m_store.snapshot(full.event))
            broadcast(full.event, *snapshot);
    }
    drainPending(full.event);
    if (m_pending.contains(full.event))
        m_gapTimers.value(full.event)->start(m_gapTimeoutMs);
}

void ChannelHub::broadcast(const QString &event, const Protocol::ChannelMessage &message)
{
    const auto subscribers = m_byEvent.value(event);
    if (subscribers.isEmpty())
        return;
    const QString text = QString::fromUtf8(Protocol::encode(message));
    for (QWebSocket *socket : subscribers)
        send(socket, text);
}

void ChannelHub::onMessage(QWebSocket *socket, const QString &text)
{
    auto it = m_subscribers.find(socket);
    if (it == m_subscribers.end())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - it->windowStart > 60'000) {
        it->windowStart = now;
        it->messagesInWindow = 0;
    }
    if (++it->messagesInWindow > m_limits.maxMessagesPerMinute) {
        drop(socket, CloseFlood, QStringLiteral("too many messages"));
        return;
    }
    // The only thing a client may ask for is a fresh snapshot; anything else
    // is ignored rather than answered, so it cannot amplify traffic.
    const auto message = Protocol::decodeChannelMessage(text.toUtf8());
    if (message && message->type == ChannelMessage::Type::Resync) {
        if (m_store.contains(it->event))
            send(socket, QString::fromUtf8(m_store.encodedSnapshot(it->event)));
    }
}

void ChannelHub::send(QWebSocket *socket, const QString &text)
{
    const auto it = m_subscribers.constFind(socket);
    const qint64 unsent = it != m_subscribers.cend() && it->tcp
        ? ChannelGuard::unsentBytes(*it->tcp)
        : socket->bytesToWrite();
    if (unsent > m_limits.maxUnsentBytes) {
        drop(socket, CloseTooSlow, QStringLiteral("too slow"));
        return;
    }
    socket->sendTextMessage(text);
}

void ChannelHub::drop(QWebSocket *socket, int closeCode, const QString &reason)
{
    const auto it = m_subscribers.constFind(socket);
    if (it == m_subscribers.cend())
        return;
    m_byEvent[it->event].removeOne(socket);
    m_subscribers.erase(it);
    socket->disconnect(this);
    if (socket->state() == QAbstractSocket::ConnectedState) {
        if (closeCode == CloseTooSlow)
            socket->abort(); // its buffer is full; a close frame would queue behind it
        else
            socket->close(QWebSocketProtocol::CloseCode(closeCode), reason);
    }
    socket->deleteLater();
}

void ChannelHub::pingAll()
{
    const auto sockets = m_subscribers.keys();
    for (QWebSocket *socket : sockets) {
        auto it = m_subscribers.find(socket);
        if (it == m_subscribers.end())
            continue;
        if (it->awaitingPong) {
            // No answer to the previous ping: the peer is gone.
            drop(socket, int(QWebSocketProtocol::CloseCodeGoingAway), QStringLiteral("no pong"));
            continue;
        }
        it->awaitingPong = true;
        socket->ping();
    }
}

} // namespace Marquee
