#pragma once

#include "CertificatePin.h"
#include "Protocol.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace Marquee {

/// Keeps one WebSocket open to an event's channel (/events/{slug}/messages)
/// for as long as the clerk looks at the event: it reconnects on its own with
/// exponential backoff (capped at about ten seconds) and notices a silently
/// dead connection by pinging, so "Live" on screen is never a lie.
class EventChannel : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Idle,
        Connecting,
        Live,
        Reconnecting
    };
    Q_ENUM(State)

    struct Timing
    {
        int firstRetryMs = 500;
        int maxRetryMs = 10'000;
        int pingIntervalMs = 15'000;
        int silenceLimitMs = 40'000; ///< no pong or message for this long: reconnect
    };

    explicit EventChannel(QObject *parent = nullptr);
    explicit EventChannel(const Timing &timing, QObject *parent = nullptr);
    ~EventChannel() override;

    /// With wss, the certificate trusted beyond what authorities vouch for
    /// (the one the clerk accepted at sign-in).
    void setPinnedCertificate(const CertificatePin &pin) { m_pin = pin; }
    /// Connects to \a url and keeps reconnecting until close() or another open().
    void open(const QUrl &url);
    void close();
    /// Asks the server for a fresh snapshot, e.g. after a version gap.
    void requestResync();
    /// Drops the connection and connects again at once.
    void reconnectNow();

    State state() const { return m_state; }
    QUrl url() const { return m_url; }
    /// Milliseconds until the next attempt while Reconnecting, else 0.
    int millisecondsUntilRetry() const;
    /// Why the last connection ended, for the status bar.
    QString lastError() const { return m_lastError; }

signals:
    void stateChanged(Marquee::EventChannel::State state);
    void messageReceived(const Marquee::Protocol::ChannelMessage &message);
    /// A message that did not decode; the channel stays open.
    void protocolError(const QString &reason);

private:
    void connectSocket();
    void onConnected();
    void onDisconnected();
    void onTextMessage(const QString &text);
    void scheduleRetry();
    void setState(State state);
    void checkSilence();

    Timing m_timing;
    QWebSocket *m_socket = nullptr;
    QUrl m_url;
    CertificatePin m_pin;
    State m_state = State::Idle;
    int m_retryDelayMs;
    QTimer m_retryTimer;
    QTimer m_pingTimer;
    QDateTime m_lastHeard;
    QString m_lastError;
};

} // namespace Marquee
