#include "LimitedTcpServer.h"

#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace Marquee {

LimitedTcpServer::LimitedTcpServer(Limits limits, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
{
}

void LimitedTcpServer::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    auto *idle = new QTimer(socket);
    idle->setSingleShot(true);
    idle->setInterval(m_limits.idleTimeoutMs);
    connect(idle, &QTimer::timeout, socket, &QTcpSocket::abort);
    idle->start();
    m_watched.insert(socket, Watch{0, false, idle});

    // Connected before the HTTP server connects its own slot, so the byte
    // count is taken before it reads the data.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] {
        auto it = m_watched.find(socket);
        if (it != m_watched.end()) {
            it->unanswered = 0;
            it->idle->start();
        }
    });
    connect(socket, &QObject::destroyed, this, [this, socket] { m_watched.remove(socket); });
    addPendingConnection(socket);
}

void LimitedTcpServer::onReadyRead(QTcpSocket *socket)
{
    auto it = m_watched.find(socket);
    if (it == m_watched.end())
        return;
    if (it->refused) {
        // Drained here, before the HTTP server's slot runs, so its parser
        // never sees the rest of a refused request.
        socket->readAll();
        return;
    }
    it->unanswered += socket->bytesAvailable();
    it->idle->start();
    if (it->unanswered > m_limits.maxRequestBytes) {
        it->refused = true;
        refuseTooLarge(socket);
    }
}

void LimitedTcpServer::refuseTooLarge(QTcpSocket *socket)
{
    socket->readAll();
    static const QByteArray body
        = QByteArrayLiteral("{\"error\":\"too_large\",\"message\":\"The request is too large.\"}");
    socket->write("HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\n"
                  "Connection: close\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    // Closing while the client is still sending would make the kernel reset
    // the connection, and the client might never read the 413. So: close only
    // our sending side once the answer is out, keep discarding what arrives,
    // and drop the connection for good a little later (a lingering close).
    connect(socket, &QTcpSocket::bytesWritten, socket, [socket] {
        if (socket->bytesToWrite() == 0)
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    });
    QTimer::singleShot(m_limits.lingerMs, socket, &QTcpSocket::abort);
}

void LimitedTcpServer::release(QTcpSocket *socket)
{
    const auto it = m_watched.find(socket);
    if (it == m_watched.end())
        return;
    delete it->idle;
    m_watched.erase(it);
    disconnect(socket, nullptr, this, nullptr);
}

} // namespace Marquee
