#include "LimitedTcpServer.h"

#include "ConnectionSlots.h"
#include "Metrics.h"
#include "ResponseQueue.h"
#include "SecurityHeaders.h"

#include <QSslSocket>
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

QTcpSocket *LimitedTcpServer::accept(qintptr handle)
{
    if (!m_limits.tls) {
        auto *socket = new QTcpSocket(this);
        if (socket->setSocketDescriptor(handle))
            return socket;
        delete socket;
        return nullptr;
    }
    auto *socket = new QSslSocket(this);
    socket->setSslConfiguration(*m_limits.tls);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return nullptr;
    }
    // A client that speaks plain HTTP here, or fails the handshake, is
    // dropped; nothing it sent reaches the HTTP server.
    connect(socket, &QSslSocket::errorOccurred, socket, [socket](QAbstractSocket::SocketError e) {
        if (e == QAbstractSocket::SslHandshakeFailedError)
            socket->abort();
    });
    return socket;
}

void LimitedTcpServer::incomingConnection(qintptr handle)
{
    QTcpSocket *const socket = accept(handle);
    if (!socket)
        return;
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
    m_watched.insert(
        socket, Watch{0, 0, false, timer, RequestFraming(m_limits.maxRequestBytes), 0});
    if (auto *tls = qobject_cast<QSslSocket *>(socket)) {
        // A handshake is held to the deadline of a request: one that stalls
        // halfway costs its sender the socket, not a slot for 30 s.
        timer->start(m_limits.requestTimeoutMs);
        connect(tls, &QSslSocket::encrypted, timer,
            [timer, idle = m_limits.idleTimeoutMs] { timer->start(idle); });
        tls->startServerEncryption();
    } else {
        timer->start(m_limits.idleTimeoutMs);
    }

    // Connected before the HTTP server connects its own slot, so the byte
    // count is taken before it reads the data.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    connect(socket, &QTcpSocket::bytesWritten, this,
        [this, socket](qint64 written) { onBytesWritten(socket, written); });
    connect(socket, &QObject::destroyed, this, [this, socket] { m_watched.remove(socket); });
    // Qt 6.4's HTTP server connects its readyRead slot here, directly, in
    // its handler of pendingConnectionAvailable...
    addPendingConnection(socket);
    // ...so this one runs after that slot has read, in the same emission.
    // Not a queued call: a QSslSocket says readyRead once per TLS record,
    // several times before the event loop runs again, and a count taken
    // later would make the next record's bytes look seen already.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadDone(socket); });
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
        socket->readAll(); // see refuse()
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
    const qint64 fresh = std::max<qint64>(0, available - it->seenUnread);
    it->unanswered += fresh;
    it->seenUnread = available;
    if (it->unanswered > m_limits.maxRequestBytes) {
        refuse(socket, *it,
            {413, QByteArrayLiteral("Payload Too Large"), QByteArrayLiteral("too_large"),
                QByteArrayLiteral("The request is too large.")});
        return;
    }
    // The fresh bytes are the last ones in the buffer: the parser reads from
    // its front. peek() leaves them for it.
    if (fresh > 0)
        judgeFraming(socket, *it, socket->peek(available).right(fresh));
}

void LimitedTcpServer::onBytesWritten(QTcpSocket *socket, qint64 written)
{
    auto it = m_watched.find(socket);
    if (it == m_watched.end() || it->refused)
        return;
    // A "100 Continue" is no answer: the request's limits still run.
    const qint64 interim = std::min(written, it->interimUnwritten);
    it->interimUnwritten -= interim;
    if (written > interim) {
        it->unanswered = 0;
        it->timer->start(m_limits.idleTimeoutMs);
    }
}

void LimitedTcpServer::judgeFraming(QTcpSocket *socket, Watch &watch, QByteArrayView fresh)
{
    QList<RequestFraming::Head> heads;
    if (const auto refusal = watch.framing.feed(fresh, &heads)) {
        refuse(socket, watch, *refusal);
        return;
    }
    for (const RequestFraming::Head &head : heads) {
        ResponseQueue *const queue = ResponseQueue::of(socket);
        if (head.closeAfter)
            queue->closeAfter(head.index);
        // Only when every earlier request is answered: written sooner, the
        // 100 would be read as the start of an earlier answer. Without it
        // the client sends its body after a short wait anyway (RFC 9110).
        if (head.expectsContinue && queue->answered() == head.index) {
            static const QByteArray proceed = QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n");
            socket->write(proceed);
            watch.interimUnwritten += proceed.size();
        }
    }
}

void LimitedTcpServer::onReadDone(QTcpSocket *socket)
{
    // What the HTTP server left in the buffer (a request still arriving, or
    // pipelined ones it takes one at a time) has been judged already.
    const auto it = m_watched.find(socket);
    if (it != m_watched.end())
        it->seenUnread = socket->bytesAvailable();
}

void LimitedTcpServer::refuse(
    QTcpSocket *socket, Watch &watch, const RequestFraming::Refusal &refusal)
{
    // Drained here, before the HTTP server's slot runs, so its parser never
    // sees the refused request (or anything after it).
    watch.refused = true;
    socket->readAll();
    if (m_metrics)
        m_metrics->countAnswer(refusal.status);
    const QByteArray body
        = "{\"error\":\"" + refusal.code + "\",\"message\":\"" + refusal.message + "\"}";
    socket->write("HTTP/1.1 " + QByteArray::number(refusal.status) + ' ' + refusal.reason
        + "\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n"
        + SecurityHeaders::raw() + "Connection: close\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    // Closing while the client is still sending would make the kernel reset
    // the connection, and the client might never read the 413. So: close only
    // our sending side once the answer is out, keep discarding what arrives,
    // and drop the connection for good a little later (a lingering close).
    const auto shutDownWhenSent = [socket] {
        if (socket->bytesToWrite() == 0)
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    };
    // With TLS, bytesWritten comes once the answer is encrypted, before its
    // bytes reach the kernel; only encryptedBytesWritten means they did.
    if (auto *tls = qobject_cast<QSslSocket *>(socket))
        connect(tls, &QSslSocket::encryptedBytesWritten, socket, [tls, shutDownWhenSent] {
            if (tls->encryptedBytesToWrite() == 0)
                shutDownWhenSent();
        });
    else
        connect(socket, &QTcpSocket::bytesWritten, socket, shutDownWhenSent);
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
    // The order of HTTP answers is over for this connection (it has none
    // waiting, see ApiServer::judgeUpgrade).
    delete socket->findChild<ResponseQueue *>(QString(), Qt::FindDirectChildrenOnly);
    m_released.removeAll(nullptr);
    m_released.append(socket);
}

QTcpSocket *LimitedTcpServer::handOver(QObject *owner, const QHostAddress &peer, quint16 peerPort)
{
    for (auto it = m_released.begin(); it != m_released.end(); ++it) {
        QTcpSocket *socket = *it;
        if (socket && socket->peerPort() == peerPort && socket->peerAddress() == peer) {
            socket->setParent(owner);
            m_released.erase(it);
            return socket;
        }
    }
    return nullptr;
}

} // namespace Marquee
