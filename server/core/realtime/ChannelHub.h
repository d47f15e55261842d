#pragma once

#include "AvailabilityStore.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <memory>

class QWebSocket;

namespace Marquee {

/// Limits that keep one client from hurting the others.
struct ChannelLimits
{
    qint64 maxIncomingMessage = 4 * 1024;
    qint64 maxUnsentBytes = 1024 * 1024; ///< a client this far behind is dropped
    int pingIntervalMs = 30'000;
    int maxMessagesPerMinute = 60;
};

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

    /// Takes a socket that asked for /events/{slug}/messages.
    void accept(std::unique_ptr<QWebSocket> socket, const QString &slug);
    /// Applies committed changes in order and announces them.
    void publish(const AvailabilityChanges &changes);

    int subscriberCount() const;

private:
    struct Subscriber
    {
        QString event;
        qint64 windowStart = 0;
        int messagesInWindow = 0;
        bool awaitingPong = false;
    };

    void onMessage(QWebSocket *socket, const QString &text);
    void drop(QWebSocket *socket, int closeCode, const QString &reason);
    void send(QWebSocket *socket, const QString &text);
    void pingAll();

    ChannelLimits m_limits;
    AvailabilityStore m_store;
    QHash<QWebSocket *, Subscriber> m_subscribers;
    QHash<QString, QList<QWebSocket *>> m_byEvent;
    QTimer m_pingTimer;
};

} // namespace Marquee
