#include "ChannelSender.h"

#include "ChannelCloseCodes.h"
#include "FanOutProgress.h"
#include "Protocol.h"
#include "SubscriberCounts.h"
#include "SubscriberLink.h"

#include <QDateTime>
#include <QThread>
#include <QWebSocketProtocol>

#include <utility>

namespace Marquee {

ChannelSender::ChannelSender(ChannelLimits limits, SubscriberCounts &counts)
    : m_limits(limits)
    , m_counts(counts)
    , m_pingTimer(this)
{
    m_pingTimer.setInterval(m_limits.pingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &ChannelSender::pingAll);
}

void ChannelSender::start()
{
    m_pingTimer.start();
}

void ChannelSender::adopt(SubscriberLink *link, const QString &event, const QByteArray &snapshot)
{
    link->setParent(this);
    if (!link->isOpen()) {
        // Gone, or refused, on its way here.
        countOut(event);
        link->finish();
        return;
    }
    connect(link, &SubscriberLink::messageReceived, this,
        [this, link](const QString &text) { onMessage(link, text); });
    connect(link, &SubscriberLink::pongReceived, this, [this, link] { onPong(link); });
    connect(link, &SubscriberLink::gone, this,
        [this, link] { drop(link, int(QWebSocketProtocol::CloseCodeNormal), {}); });
    // Closed by the link itself already.
    connect(link, &SubscriberLink::misbehaved, this,
        [this, link](int code, const QString &reason) { drop(link, code, reason); });
    QList<SubscriberLink *> &links = m_byEvent[event];
    Subscriber &subscriber = m_subscribers[link];
    subscriber.event = event;
    subscriber.serial = ++m_serial;
    subscriber.windowStart = QDateTime::currentMSecsSinceEpoch();
    subscriber.index = links.size();
    links.append(link);
    if (send(link, snapshot))
        link->start();
}

void ChannelSender::deliver(
    const QString &event, const QByteArray &frame, const std::shared_ptr<FanOutProgress> &progress)
{
    // A copy of the list (shared, copied only if it changes): a write can
    // read (TLS), and what it reads can drop a subscriber on the spot.
    const QList<SubscriberLink *> links = m_byEvent.value(event);
    for (SubscriberLink *link : links) {
        if (m_subscribers.contains(link))
            send(link, frame);
    }
    if (progress)
        progress->senderDone();
}

void ChannelSender::answerResync(SubscriberLink *link, quint64 serial, const QByteArray &snapshot)
{
    const auto it = m_subscribers.constFind(link);
    if (it != m_subscribers.cend() && it->serial == serial)
        send(link, snapshot);
}

bool ChannelSender::send(SubscriberLink *link, const QByteArray &frame)
{
    if (link->unsent() > m_limits.maxUnsentBytes) {
        drop(link, ChannelClose::TooSlow, QStringLiteral("too slow"));
        return false;
    }
    link->send(frame);
    return true;
}

void ChannelSender::onMessage(SubscriberLink *link, const QString &text)
{
    const auto it = m_subscribers.find(link);
    if (it == m_subscribers.end())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - it->windowStart > 60'000) {
        it->windowStart = now;
        it->messagesInWindow = 0;
    }
    if (++it->messagesInWindow > m_limits.maxMessagesPerMinute) {
        drop(link, ChannelClose::Flood, QStringLiteral("too many messages"));
        return;
    }
    // The only thing a client may ask for is a fresh snapshot; anything else
    // is ignored rather than answered, so it cannot amplify traffic. The hub
    // answers: the snapshot must fit between the updates it handed over.
    const auto message = Protocol::decodeChannelMessage(text.toUtf8());
    if (message && message->type == Protocol::ChannelMessage::Type::Resync)
        emit resyncRequested(link, it->serial, it->event);
}

void ChannelSender::onPong(SubscriberLink *link)
{
    const auto it = m_subscribers.find(link);
    if (it != m_subscribers.end())
        it->awaitingPong = false;
}

void ChannelSender::drop(SubscriberLink *link, int closeCode, const QString &reason)
{
    const auto it = m_subscribers.constFind(link);
    if (it == m_subscribers.cend())
        return;
    const QString event = it->event;
    const qsizetype index = it->index;
    m_subscribers.erase(it);
    // The last of the event's list takes the dropped one's place.
    QList<SubscriberLink *> &links = m_byEvent[event];
    SubscriberLink *const last = links.takeLast();
    if (last != link) {
        links[index] = last;
        m_subscribers[last].index = index;
    }
    if (links.isEmpty())
        m_byEvent.remove(event);
    countOut(event);
    link->disconnect(this);
    if (link->isOpen()) {
        if (closeCode == ChannelClose::TooSlow)
            link->abort(); // its buffer is full; a close frame would queue behind it
        else
            link->close(closeCode, reason);
    }
    link->finish();
}

void ChannelSender::countOut(const QString &event)
{
    m_counts.remove(event);
    m_load.fetch_sub(1, std::memory_order_relaxed);
}

void ChannelSender::pingAll()
{
    const auto links = m_subscribers.keys();
    for (SubscriberLink *link : links) {
        const auto it = m_subscribers.find(link);
        if (it == m_subscribers.end())
            continue;
        if (it->awaitingPong) {
            // No answer to the previous ping: the peer is gone.
            drop(link, int(QWebSocketProtocol::CloseCodeGoingAway), QStringLiteral("no pong"));
            continue;
        }
        it->awaitingPong = true;
        link->ping();
    }
}

void ChannelSender::closeAll(QThread *home)
{
    m_pingTimer.stop();
    const auto subscribers = std::exchange(m_subscribers, {});
    m_byEvent.clear();
    for (auto it = subscribers.cbegin(); it != subscribers.cend(); ++it) {
        SubscriberLink *const link = it.key();
        link->disconnect(this);
        countOut(it->event);
        link->close(int(QWebSocketProtocol::CloseCodeGoingAway), QStringLiteral("server stopping"));
        delete link;
    }
    // Links dropped earlier and not deleted yet, and any on their way.
    qDeleteAll(findChildren<SubscriberLink *>(QString(), Qt::FindDirectChildrenOnly));
    moveToThread(home);
}

} // namespace Marquee
