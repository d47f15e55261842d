#pragma once

#include "ClientAddress.h"
#include "RequestFraming.h"

#include <QHash>
#include <QHostAddress>
#include <QPointer>
#include <QSslConfiguration>
#include <QTcpServer>

#include <memory>
#include <optional>

class QTcpSocket;
class QTimer;

namespace Marquee {

class AddressCounts;
class Metrics;

/// The listening socket handed to the HTTP server. Qt 6.4's HTTP server
/// buffers any request body whole and has no timeouts, so this bounds what a
/// connection may send before it is answered and closes connections that
/// stall: a huge or slow request costs its sender, not everyone else. A
/// request must arrive whole and be answered within a deadline, however
/// slowly it trickles in, and one address cannot hold every socket.
/// Its slot sees every byte before Qt's parser does, so it also refuses
/// badly framed requests (see RequestFraming) and answers Expect.
/// With TLS each connection is a QSslSocket whose handshake runs under the
/// request deadline; everything above then sees only the decrypted bytes.
class LimitedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    struct Limits
    {
        qint64 maxRequestBytes = 64 * 1024 + 16 * 1024; ///< body plus headers
        int idleTimeoutMs = 30'000; ///< between requests on a kept-alive connection
        int requestTimeoutMs = 15'000; ///< from a request's first byte to its answer
        /// Open connections per client address.
        int maxConnectionsPerAddress = 64;
        int lingerMs = 2'000; ///< how long a refused request may still send
        /// Loopback is exempt from the per-address cap unless this is false
        /// (--no-loopback-exemption): it is the demo, the tests, or a
        /// reverse proxy that has its own limits.
        bool exemptLoopback = true;
        /// Reverse proxies multiplex many clients: never capped per address.
        QList<QHostAddress> trustedProxies;
        /// Set: HTTPS and WSS on the port (see TlsSetup).
        std::optional<QSslConfiguration> tls;
    };

    explicit LimitedTcpServer(Limits limits, QObject *parent = nullptr);
    LimitedTcpServer(QObject *parent = nullptr)
        : LimitedTcpServer(Limits{}, parent)
    {
    }
    ~LimitedTcpServer() override;

    /// Stops watching a socket that became a WebSocket: it now belongs to the
    /// channel layer, which has limits of its own.
    void release(QTcpSocket *socket);
    /// Makes the released socket of the connection from \a peer : \a peerPort
    /// a child of \a owner (the QWebSocket made from it). Qt 6.4's QWebSocket
    /// never deletes the QTcpSocket it was upgraded from, and drops the only
    /// connection that would once it is deleted itself, so a channel closed
    /// while its last bytes were still queued kept its socket, descriptor
    /// and connection slot for good.
    /// Returns that socket, or nullptr if it is not known.
    QTcpSocket *handOver(QObject *owner, const QHostAddress &peer, quint16 peerPort);

    /// HTTP connections open now: accepted, not yet closed or upgraded.
    int openConnections() const { return int(m_watched.size()); }
    /// Counts the refusals written here, before Qt's parser, as answers.
    void setMetrics(Metrics *metrics) { m_metrics = metrics; }

protected:
    void incomingConnection(qintptr handle) override;

private:
    struct Watch
    {
        qint64 unanswered = 0; ///< bytes received since the last response
        qint64 seenUnread = 0; ///< counted already, still in the socket's buffer
        bool refused = false; ///< answered 4xx; the rest is discarded
        QTimer *timer = nullptr; ///< idle between requests, deadline during one
        RequestFraming framing;
        qint64 interimUnwritten = 0; ///< of "100 Continue"s, which answer nothing
    };

    QTcpSocket *accept(qintptr handle);
    void onReadyRead(QTcpSocket *socket);
    void onBytesWritten(QTcpSocket *socket, qint64 written);
    void onReadDone(QTcpSocket *socket);
    void judgeFraming(QTcpSocket *socket, Watch &watch, QByteArrayView fresh);
    void refuse(QTcpSocket *socket, Watch &watch, const RequestFraming::Refusal &refusal);
    bool isCapped(const QHostAddress &peer) const;

    Limits m_limits;
    ClientAddress m_clients;
    QHash<QTcpSocket *, Watch> m_watched;
    QList<QPointer<QTcpSocket>> m_released; ///< upgraded, not yet handed over
    /// Shared with each connection's ConnectionSlot, which may outlive this.
    std::shared_ptr<AddressCounts> m_perAddress;
    Metrics *m_metrics = nullptr;
};

} // namespace Marquee
