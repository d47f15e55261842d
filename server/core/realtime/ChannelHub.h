#pragma once

#include "AvailabilityStore.h"
#include "ChannelLimits.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <functional>
#include <memory>

class QTcpSocket;
class QWebSocket;

namespace Marquee {

/// The event channels: accepts WebSocket subscribers, sends each its
/// snapshot, and fans every committed change out to the event's subscribers.
/// An update is encoded once per change, not once per client.
class ChannelHub : public QObject
{
    Q_OBJECT

public:
    explicit ChannelHub(ChannelLimits limits = {}, QObject *parent = nullptr);
    ~ChannelHub() override;

    AvailabilityStore &store() { return m_store; }
    /// Subscribers of \a event now (for tests and metrics).
    int subscriberCount(const QString &event) const { return int(m_byEvent.value(event).size()); }

    /// Takes a socket that asked for /events/{slug}/messages; \a tcp, the
    /// connection it was upgraded from, is watched too (see ChannelGuard).
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
    struct Subscriber
    {
        QString event;
        qint64 windowStart = 0;
        int messagesInWindow = 0;
        bool awaitingPong = false;
        /// The connection under the channel: with TLS, what the client has
        /// not taken waits there, encrypted, not in the QWebSocket.
        QPointer<QTcpSocket> tcp;
    };

    /// Applies changes strictly in version order per event: a change that
    /// arrives before its predecessors waits for them, for a while.
    void apply(const AvailabilityChange &change);
    void drainPending(const QString &event);
    void broadcast(const QString &event, const Protocol::ChannelMessage &message);
    void onMessage(QWebSocket *socket, const QString &text);
    void drop(QWebSocket *socket, int closeCode, const QString &reason);
    void send(QWebSocket *socket, const QString &text);
    void pingAll();

    ChannelLimits m_limits;
    AvailabilityStore m_store;
    QHash<QWebSocket *, Subscriber> m_subscribers;
    QHash<QString, QList<QWebSocket *>> m_byEvent;
    QTimer m_pingTimer;
    /// How long a change may wait for the versions before it (committed by
    /// another server, announced out of order) before the event is reloaded.
    int m_gapTimeoutMs = 250;
    QHash<QString, QMap<qint64, AvailabilityChange>> m_pending; ///< by event, by version
    QHash<QString, QTimer *> m_gapTimers;
};

} // namespace Marquee
