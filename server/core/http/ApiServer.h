#pragma once

#include "ClientAddress.h"
#include "RateLimiter.h"
#include "Router.h"

#include <optional>

#include <QtHttpServer/QAbstractHttpServer>

namespace Marquee {

class ChannelHub;
class LimitedTcpServer;

/// The one port: routes API calls, serves the web page, and hands WebSocket
/// upgrades for /events/{slug}/messages to the channel hub after checking
/// their Origin. Built on QAbstractHttpServer rather than QHttpServer because
/// only here does Qt 6.4 tell which socket a request came on, which an
/// answer given later needs (see HttpReply).
class ApiServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    ApiServer(ChannelHub &hub, QObject *parent = nullptr);

    Router &router() { return m_router; }
    /// Origins besides the server's own that may open channels.
    /// Also the host names the server answers to (see hostAllowed).
    void setAllowedOrigins(const QStringList &origins);
    void bindLimited(LimitedTcpServer *server);
    /// Limits state-changing requests per client address; loopback clients
    /// (the demo, a reverse proxy on this machine) are trusted unless
    /// \a trustLoopback is false.
    void setWriteLimit(RateLimiter::Rule rule, bool trustLoopback);
    /// Reverse proxies whose X-Forwarded-For names the client (see ClientAddress).
    void setTrustedProxies(const QList<QHostAddress> &proxies)
    {
        m_clients = ClientAddress(proxies);
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    void onWebSocket();
    bool serveStatic(const QHttpServerRequest &request, HttpReply &reply) const;
    bool originAllowed(const QString &origin, const QUrl &requestUrl) const;
    /// Against DNS rebinding: a page on a hostile domain that re-resolves to
    /// this server sends its own name as Host. IP literals and localhost
    /// cannot be rebound; other names must come from --allow-origin. Checked
    /// for browser requests (those with an Origin).
    bool hostAllowed(const QByteArray &hostHeader) const;

    ChannelHub &m_hub;
    Router m_router;
    QStringList m_allowedOrigins;
    QStringList m_allowedHosts;
    LimitedTcpServer *m_tcp = nullptr;
    std::optional<RateLimiter> m_writeLimit;
    bool m_trustLoopback = true;
    ClientAddress m_clients;
};

} // namespace Marquee
