#include "ChannelGuard.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QWebSocket>

namespace Marquee {

ChannelGuard::ChannelGuard(QWebSocket *socket, QTcpSocket *tcp, qint64 maxUnsentBytes)
    : QObject(socket)
    , m_tcp(tcp)
    , m_maxUnsentBytes(maxUnsentBytes)
{
}

qint64 ChannelGuard::unsentBytes(const QTcpSocket &tcp)
{
    const auto *tls = qobject_cast<const QSslSocket *>(&tcp);
    return tcp.bytesToWrite() + (tls ? tls->encryptedBytesToWrite() : 0);
}

bool ChannelGuard::start()
{
    QTcpSocket *const tcp = m_tcp.data();
    if (!tcp)
        return true;
    if (tcp->isTransactionStarted()) {
        // The handshake is still being read: start once it is done.
        QMetaObject::invokeMethod(this, &ChannelGuard::startLater, Qt::QueuedConnection);
        return true;
    }
    connect(tcp, &QTcpSocket::readyRead, this, &ChannelGuard::onReadyRead);
    // Frames a client sent right behind its upgrade, not yet read by QWebSocket.
    const qint64 available = tcp->bytesAvailable();
    if (!m_frames.feed(tcp->peek(available))) {
        m_refused = true;
        disconnect(tcp, nullptr, this, nullptr);
        tcp->readAll(); // nothing more reaches QWebSocket
        return false;
    }
    m_judged = available;
    tcp->startTransaction();
    return true;
}

void ChannelGuard::startLater()
{
    if (!start())
        emit unmaskedFrame();
}

void ChannelGuard::onReadyRead()
{
    QTcpSocket *const tcp = m_tcp.data();
    if (!tcp || !tcp->isOpen())
        return;
    if (!tcp->isTransactionStarted()) {
        // Someone else ended the transaction: the stream cannot be followed.
        refuse();
        return;
    }
    const qint64 unread = tcp->bytesAvailable();
    tcp->rollbackTransaction();
    const qint64 buffered = tcp->bytesAvailable();
    const QByteArray bytes = tcp->peek(buffered);
    if (!m_frames.feed(QByteArrayView(bytes).sliced(std::min<qint64>(m_judged, bytes.size())))) {
        refuse();
        return;
    }
    tcp->skip(buffered - unread); // what QWebSocket had read
    m_judged = unread;
    tcp->startTransaction();
    if (unsentBytes(*tcp) > m_maxUnsentBytes)
        emit tooMuchUnsent();
}

void ChannelGuard::refuse()
{
    m_refused = true;
    if (QTcpSocket *const tcp = m_tcp.data()) {
        disconnect(tcp, nullptr, this, nullptr);
        tcp->readAll(); // nothing more reaches QWebSocket
    }
    emit unmaskedFrame();
}

} // namespace Marquee
