#include "EventChannel.h"

#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QWebSocket>

namespace Marquee {

namespace {

// Snapshots of a large venue are a few hundred KiB; refuse anything absurd
// instead of buffering it (Qt's default is about 2 GiB).
constexpr qint64 MaxMessageBytes = 4 * 1024 * 1024;
// The server closes with this code when the event does not exist: retrying
// cannot help.
constexpr quint16 CloseUnknownEvent = 4404;

} // namespace

EventChannel::EventChannel(QObject *parent)
    : EventChannel(Timing{}, parent)
{
}

EventChannel::EventChannel(const Timing &timing, QObject *parent)
    : QObject(parent)
    , m_timing(timing)
    , m_retryDelayMs(timing.firstRetryMs)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &EventChannel::connectSocket);
    m_pingTimer.setInterval(m_timing.pingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &EventChannel::checkSilence);
}

EventChannel::~EventChannel()
{
    close();
}

void EventChannel::open(const QUrl &url)
{
    close();
    m_url = url;
    m_retryDelayMs = m_timing.firstRetryMs;
    m_lastError.clear();
    connectSocket();
}

void EventChannel::close()
{
    m_retryTimer.stop();
    m_pingTimer.stop();
    if (m_socket) {
        // Detach first: the disconnected signal of a socket we threw away
        // must not schedule a reconnect.
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    setState(State::Idle);
}

void EventChannel::reconnectNow()
{
    if (m_url.isEmpty())
        return;
    const QUrl url = m_url;
    const QString error = m_lastError;
    open(url);
    m_lastError = error;
}

void EventChannel::requestResync()
{
    if (!m_socket || m_state != State::Live)
        return; // a reconnect starts with a snapshot anyway
    Protocol::ChannelMessage resync;
    resync.type = Protocol::ChannelMessage::Type::Resync;
    m_socket->sendTextMessage(QString::fromUtf8(Protocol::encode(resync)));
}

int EventChannel::millisecondsUntilRetry() const
{
    return m_state == State::Reconnecting ? qMax(0, m_retryTimer.remainingTime()) : 0;
}

void EventChannel::connectSocket()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    // The server allows its own origin; a desktop client claims exactly that.
    QUrl origin = m_url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
    origin.setScheme(
        m_url.scheme() == QLatin1String("wss") ? QStringLiteral("https") : QStringLiteral("http"));
    m_socket = new QWebSocket(origin.toString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(MaxMessageBytes);
    m_socket->setMaxAllowedIncomingFrameSize(MaxMessageBytes);
    connect(m_socket, &QWebSocket::connected, this, &EventChannel::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &EventChannel::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &EventChannel::onTextMessage);
    connect(m_socket, &QWebSocket::sslErrors, this, [this] {
        if (m_pin.matches(m_socket->sslConfiguration().peerCertificate()))
            m_socket->ignoreSslErrors();
    });
    connect(m_socket, &QWebSocket::pong, this,
        [this] { m_lastHeard = QDateTime::currentDateTimeUtc(); });
    setState(m_state == State::Idle ? State::Connecting : m_state);
    m_socket->open(m_url);
}

void EventChannel::onConnected()
{
    m_lastHeard = QDateTime::currentDateTimeUtc();
    m_pingTimer.start();
    setState(State::Live);
}

void EventChannel::onDisconnected()
{
    m_pingTimer.stop();
    const auto code = m_socket->closeCode();
    m_lastError
        = m_socket->closeReason().isEmpty() ? m_socket->errorString() : m_socket->closeReason();
    if (code == CloseUnknownEvent) {
        m_lastError = tr("The server does not know this event.");
        setState(State::Idle);
        return;
    }
    scheduleRetry();
}

void EventChannel::scheduleRetry()
{
    // Jitter keeps a room full of counters from reconnecting in lockstep
    // after a server restart.
    const int jitter = int(QRandomGenerator::global()->bounded(m_retryDelayMs / 4 + 1));
    m_retryTimer.start(qMin(m_retryDelayMs + jitter, m_timing.maxRetryMs));
    m_retryDelayMs = qMin(m_retryDelayMs * 2, m_timing.maxRetryMs);
    setState(State::Reconnecting);
}

void EventChannel::onTextMessage(const QString &text)
{
    m_lastHeard = QDateTime::currentDateTimeUtc();
    QString error;
    const auto message = Protocol::decodeChannelMessage(text.toUtf8(), &error);
    if (!message) {
        emit protocolError(error);
        return;
    }
    // Only a connection that delivers counts as healthy; one that is accepted
    // and dropped at once keeps backing off.
    m_retryDelayMs = m_timing.firstRetryMs;
    emit messageReceived(*message);
}

void EventChannel::checkSilence()
{
    if (!m_socket)
        return;
    if (m_lastHeard.msecsTo(QDateTime::currentDateTimeUtc()) > m_timing.silenceLimitMs) {
        m_lastError = tr("The server stopped answering.");
        m_socket->abort(); // emits disconnected, which schedules the retry
        return;
    }
    m_socket->ping();
}

void EventChannel::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace Marquee
