#pragma once

#include "ClientAddress.h"
#include "OriginPolicy.h"
#include "RateLimiter.h"
#include "Router.h"

#include <optional>

#include <QtHttpServer/QAbstractHttpServer>

namespace Marquee {

class ChannelHub;
class Clock;
class HttpReply;
class LimitedTcpServer;
class Metrics;

/// The one port: routes API calls, serves the web page, and hands WebSocket
/// upgrades for /events/{slug}/messages to the channel hub, after checking
/// their Origin and Host before the handshake (see OriginPolicy). Built on QAbstractHttpServer
/// rather than QHttpServer because only here does Qt 6.4 tell which socket a request came on, which
/// an answer given later needs (see HttpReply).
class ApiServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    /// \a clock dates every answer (the Date header), so a counter can
    /// count a hold down against the server's time rather than its own.
    ApiServer(ChannelHub &hub, const Clock &clock, QObject *parent = nullptr);

    Router &router() { return m_router; }
    /// Origins besides the server's own that may open channels.
    /// Also the host names the server answers to (see hostAllowed).
    void setAllowedOrigins(const QStringList &origins);
    void bindLimited(LimitedTcpServer *server);
    /// Limits state-changing requests per client address; loopback clients
    /// (the demo, a reverse proxy on this machine) are trusted unless
    /// \a trustLoopback is false.
    void setWriteLimit(RateLimiter::Rule rule, bool trustLoopback);
    /// Limits GET requests per client address, in a bucket of their own: the
    /// web page's files, the event routes and channel opens. Loopback is
    /// trusted as for writes.
    void setReadLimit(RateLimiter::Rule rule, bool trustLoopback);
    /// Reverse proxies whose X-Forwarded-For names the client (see ClientAddress).
    void setTrustedProxies(const QList<QHostAddress> &proxies)
    {
        m_clients = ClientAddress(proxies);
    }
    /// Counts and times every answer, and counts channel upgrades as 1xx.
    void setMetrics(Metrics *metrics) { m_metrics = metrics; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    enum class Upgrade
    {
        Accept,
        NotFound, ///< not a channel path
        Misdirected, ///< a browser's Host we do not answer for
        ForeignOrigin, ///< a page from another origin
        BadKey, ///< a Sec-WebSocket-Key that is not 16 bytes in base64
        /// Behind requests still unanswered: their answers would be written,
        /// from this thread, to a connection a sender thread owns by then.
        Pipelined,
    };

    void onWebSocket();
    bool serveStatic(const QHttpServerRequest &request, HttpReply &reply) const;
    static bool isUpgrade(const QHttpServerRequest &request);
    static bool isWebSocketKey(const QByteArray &key);
    /// Against DNS rebinding; checked for browser requests (those with an Origin).
    bool hostOk(const QHttpServerRequest &request) const;
    Upgrade judgeUpgrade(const QHttpServerRequest &request, QTcpSocket *socket) const;
    /// Takes a token from the request's bucket: nullopt when it may go on,
    /// else the seconds to wait.
    std::optional<int> rateLimited(const QHttpServerRequest &request, const QHostAddress &client);

    /// The answer to \a request, dated by the server's clock.
    HttpReply replyTo(const QHttpServerRequest &request, QTcpSocket *socket);

    ChannelHub &m_hub;
    const Clock &m_clock;
    Router m_router;
    OriginPolicy m_origins;
    LimitedTcpServer *m_tcp = nullptr;
    std::optional<RateLimiter> m_writeLimit;
    std::optional<RateLimiter> m_readLimit;
    bool m_trustLoopback = true;
    /// Set for missingHandler() when handleRequest() refused an upgrade for
    /// its rate: Qt calls the one right after the other.
    std::optional<int> m_upgradeRetryAfter;
    ClientAddress m_clients;
    Metrics *m_metrics = nullptr;
};

} // namespace Marquee
