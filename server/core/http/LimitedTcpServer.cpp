#include "LimitedTcpServer.h"

#include "ConnectionSlots.h"

#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace Marquee {

LimitedTcpServer::LimitedTcpServer(Limits limits, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_clients(limits.trustedProxies)
    , m_perAddress(std::make_shared<AddressCounts>())
{
}

LimitedTcpServer::~LimitedTcpServer()
{
    // The sockets are children and die after this object's members; their
    // last signals must not reach the bookkeeping that is already gone.
    const auto sockets = findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket *socket : sockets)
        disconnect(socket, nullptr, this, nullptr);
}

void LimitedTcpServer::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    const QHostAddress peer = ClientAddress::normalized(socket->peerAddress());
    if (isCapped(peer)) {
        if (!m_perAddress->tryTake(peer, m_limits.maxConnectionsPerAddress)) {
            socket->abort();
            socket->deleteLater();
            return;
        }
        new ConnectionSlot(m_perAddress, peer, socket);
    }

    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, socket, &QTcpSocket::abort);
    timer->start(m_limits.idleTimeoutMs);
    m_watched.insert(socket, Watch{0, 0, false, timer});

    // Connected before the HTTP server connects its own slot, so the byte
    // count is taken before it reads the data.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] {
        auto it = m_watched.find(socket);
        if (it != m_watched.end() && !it->refused) {
            it->unanswered = 0;
            it->timer->start(m_limits.idleTimeoutMs);
        }
    });
    connect(socket, &QObject::destroyed, this, [this, socket] { m_watched.remove(socket); });
    addPendingConnection(socket);
}

bool LimitedTcpServer::isCapped(const QHostAddress &peer) const
{
    if (m_limits.exemptLoopback && peer.isLoopback())
        return false;
    return !m_clients.isTrustedProxy(peer);
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
    // The deadline starts with a request's first byte and is not moved by
    // later ones: a byte every few seconds does not keep a socket forever.
    if (it->unanswered == 0)
        it->timer->start(m_limits.requestTimeoutMs);
    // readyRead comes again for bytes already seen: Qt's HTTP server
    // re-emits it after each request while pipelined ones wait in the
    // buffer. Only what arrived since it last read counts.
    const qint64 available = socket->bytesAvailable();
    it->unanswered += std::max<qint64>(0, available - it->seenUnread);
    it->seenUnread = available;
    rememberUnreadAfterThisSignal(socket);
    if (it->unanswered > m_limits.maxRequestBytes) {
        it->refused = true;
        refuseTooLarge(socket);
    }
}

void LimitedTcpServer::rememberUnreadAfterThisSignal(QTcpSocket *socket)
{
    // Queued, so it runs once the HTTP server's slot (connected after ours)
    // has read what it could, and before any readyRead it queued itself.
    QMetaObject::invokeMethod(
        this,
        [this, guarded = QPointer<QTcpSocket>(socket)] {
            QTcpSocket *const alive = guarded.data();
            if (!alive)
                return;
            const auto it = m_watched.find(alive);
            if (it != m_watched.end())
                it->seenUnread = alive->bytesAvailable();
        },
        Qt::QueuedConnection);
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
    delete it->timer;
    m_watched.erase(it);
    disconnect(socket, nullptr, this, nullptr);
    m_released.removeAll(nullptr);
    m_released.append(socket);
}

void LimitedTcpServer::handOver(QObject *owner, const QHostAddress &peer, quint16 peerPort)
{
    for (auto it = m_released.begin(); it != m_released.end(); ++it) {
        QTcpSocket *socket = *it;
        if (socket && socket->peerPort() == peerPort && socket->peerAddress() == peer) {
            socket->setParent(owner);
            m_released.erase(it);
            return;
        }
    }
}

} // namespace Marquee
