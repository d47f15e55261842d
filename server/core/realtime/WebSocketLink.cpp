#include "WebSocketLink.h"

#include "ChannelCloseCodes.h"
#include "ChannelGuard.h"
#include "FrameWriter.h"
#include "WebSocketFrame.h"

#include <QTcpSocket>
#include <QWebSocket>

namespace Marquee {

WebSocketLink::WebSocketLink(QWebSocket *socket, QTcpSocket *tcp, ChannelGuard *guard)
    : m_socket(socket)
    , m_tcp(tcp)
{
    socket->setParent(this);
    // Queued: the guard judges the frames of a message right after QWebSocket
    // read them, and a client it drops is gone before its message is handled.
    connect(
        socket, &QWebSocket::textMessageReceived, this,
        [this](const QString &text) { emit messageReceived(text, false); }, Qt::QueuedConnection);
    connect(
        socket, &QWebSocket::binaryMessageReceived, this,
        [this](const QByteArray &) { emit messageReceived({}, true); }, Qt::QueuedConnection);
    connect(socket, &QWebSocket::pong, this, &SubscriberLink::pongReceived);
    connect(socket, &QWebSocket::disconnected, this, &SubscriberLink::gone);
    if (!guard)
        return;
    connect(guard, &ChannelGuard::unmaskedFrame, this, [this] {
        const QString reason = QStringLiteral("unmasked frame");
        close(int(QWebSocketProtocol::CloseCodeProtocolError), reason);
        emit misbehaved(int(QWebSocketProtocol::CloseCodeProtocolError), reason);
    });
    connect(guard, &ChannelGuard::tooMuchUnsent, this, [this] {
        abort();
        emit misbehaved(ChannelClose::TooSlow, QStringLiteral("too slow"));
    });
}

void WebSocketLink::start()
{
    QTcpSocket *const tcp = m_tcp.data();
    if (!tcp)
        return;
    tcp->blockSignals(false);
    // What the client sent while its socket was on its way: QWebSocket and
    // the guard read it now, as if it had just arrived.
    if (tcp->bytesAvailable() > 0)
        emit tcp->readyRead();
}

bool WebSocketLink::isOpen() const
{
    // The connection's own state: QWebSocket did not hear of changes while
    // the connection was kept quiet.
    const QTcpSocket *const tcp = m_tcp.data();
    return (tcp ? tcp->state() : m_socket->state()) == QAbstractSocket::ConnectedState;
}

qint64 WebSocketLink::unsent() const
{
    const QTcpSocket *const tcp = m_tcp.data();
    return tcp ? ChannelGuard::unsentBytes(*tcp) : m_socket->bytesToWrite();
}

void WebSocketLink::send(const QByteArray &frame)
{
    if (QTcpSocket *const tcp = m_tcp.data())
        FrameWriter::write(*tcp, frame);
    else // no connection known under the socket: QWebSocket frames the text itself
        m_socket->sendTextMessage(QString::fromUtf8(WebSocketFrame::payload(frame)));
}

void WebSocketLink::ping()
{
    if (QTcpSocket *const tcp = m_tcp.data()) {
        // QWebSocket reports the pong whoever sent the ping.
        static const QByteArray frame = WebSocketFrame::ping();
        FrameWriter::write(*tcp, frame);
    } else {
        m_socket->ping();
    }
}

void WebSocketLink::close(int code, const QString &reason)
{
    if (isOpen())
        m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void WebSocketLink::abort()
{
    if (isOpen())
        m_socket->abort();
}

} // namespace Marquee
