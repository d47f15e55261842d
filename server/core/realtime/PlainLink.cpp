#include "PlainLink.h"

#include "ChannelCloseCodes.h"
#include "ChannelLimits.h"
#include "ConnectionSlots.h"
#include "FrameWriter.h"
#include "WebSocketFrame.h"

#include <QSslSocket>
#include <QTimer>
#include <QWebSocket>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Marquee {

std::optional<PlainLink::Handoff> PlainLink::takeOver(QWebSocket *socket, QTcpSocket *tcp)
{
    if (!tcp || qobject_cast<QSslSocket *>(tcp) || tcp->state() != QAbstractSocket::ConnectedState)
        return std::nullopt;
    tcp->flush(); // the handshake's answer
    if (tcp->bytesToWrite() > 0)
        return std::nullopt;
    const int descriptor = ::fcntl(int(tcp->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    if (descriptor < 0)
        return std::nullopt;
    Handoff handoff{descriptor, tcp->readAll(), ConnectionSlot::takeFrom(tcp)};
    // Closing Qt's descriptor leaves the connection open on the duplicate.
    // QWebSocket hears of it first, so its destructor sends no close frame.
    tcp->blockSignals(false);
    tcp->abort();
    delete socket; // and tcp, its child
    return handoff;
}

PlainLink::PlainLink(Handoff handoff, const ChannelLimits &limits)
    : m_tcp(this)
    , m_pending(std::move(handoff.pending))
    , m_slot(std::move(handoff.slot))
    , m_frames(limits.maxIncomingMessage)
    , m_maxUnsent(limits.maxUnsentBytes)
{
    if (!m_tcp.setSocketDescriptor(handoff.descriptor))
        ::close(handoff.descriptor);
}

void PlainLink::start()
{
    connect(&m_tcp, &QTcpSocket::readyRead, this, &PlainLink::onReadyRead);
    connect(&m_tcp, &QTcpSocket::disconnected, this, &SubscriberLink::gone);
    consume(std::exchange(m_pending, {}));
    if (m_tcp.bytesAvailable() > 0)
        onReadyRead();
}

bool PlainLink::isOpen() const
{
    return !m_closing && m_tcp.state() == QAbstractSocket::ConnectedState;
}

void PlainLink::send(const QByteArray &frame)
{
    if (isOpen())
        FrameWriter::write(m_tcp, frame);
}

void PlainLink::ping()
{
    static const QByteArray frame = WebSocketFrame::ping();
    send(frame);
}

void PlainLink::close(int code, const QString &reason)
{
    if (!isOpen())
        return;
    FrameWriter::write(m_tcp, WebSocketFrame::close(code, reason));
    m_closing = true;
    // Not closed yet: a socket closed while the client still sends answers
    // with a TCP reset, and a reset discards what the client has not read
    // yet, this close frame too (a client refused for a huge message, say,
    // learnt nothing but 1006). Only our side ends, once the frame is out;
    // what still comes is read and dropped until the client closes its
    // side or finish()'s time runs out.
    if (m_tcp.bytesToWrite() == 0)
        shutdownWrites();
    else
        connect(&m_tcp, &QTcpSocket::bytesWritten, this, [this] {
            if (m_tcp.bytesToWrite() == 0)
                shutdownWrites();
        });
}

void PlainLink::shutdownWrites()
{
    ::shutdown(int(m_tcp.socketDescriptor()), SHUT_WR);
}

void PlainLink::finish()
{
    if (!m_closing || m_tcp.state() != QAbstractSocket::ConnectedState) {
        deleteLater();
        return;
    }
    connect(&m_tcp, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    QTimer::singleShot(LingerMs, this, &QObject::deleteLater);
}

void PlainLink::abort()
{
    m_closing = true;
    m_tcp.abort();
}

void PlainLink::onReadyRead()
{
    // All of it at once: Qt then hands over its read buffer itself rather
    // than a copy, and keeps none allocated between messages.
    consume(m_tcp.read(m_tcp.bytesAvailable()));
}

void PlainLink::consume(QByteArrayView bytes)
{
    if (bytes.isEmpty() || m_closing)
        return;
    const QList<ClientFrames::Message> messages = m_frames.feed(bytes);
    for (const ClientFrames::Message &message : messages) {
        if (!handle(message))
            return;
    }
    if (const int code = m_frames.failed()) {
        const QString reason = QString::fromLatin1(m_frames.failure());
        close(code, reason);
        emit misbehaved(code, reason);
        return;
    }
    // Every ping is answered at once: a client that sends them and never
    // reads lets the answers pile up here.
    if (unsent() > m_maxUnsent) {
        abort();
        emit misbehaved(ChannelClose::TooSlow, QStringLiteral("too slow"));
    }
}

bool PlainLink::handle(const ClientFrames::Message &message)
{
    using Type = ClientFrames::Message::Type;
    switch (message.type) {
    case Type::Text:
        emit messageReceived(QString::fromUtf8(message.payload), false);
        break;
    case Type::Binary:
        emit messageReceived({}, true);
        break;
    case Type::Ping:
        send(WebSocketFrame::pong(message.payload));
        break;
    case Type::Pong:
        emit pongReceived();
        break;
    case Type::Close:
        // The closing handshake: the code comes back, then the connection goes.
        close(message.closeCode, {});
        emit gone();
        return false;
    }
    return isOpen();
}

} // namespace Marquee
