#include "ApiServer.h"

#include "ChannelHub.h"
#include "LimitedTcpServer.h"
#include "Protocol.h"

#include <QFile>
#include <QFileInfo>
#include <QWebSocket>

namespace Marquee {

namespace {

/// "/events/{slug}/messages" -> slug, else empty.
QString channelSlug(const QString &path)
{
    const QStringList parts = path.split(u'/', Qt::SkipEmptyParts);
    if (parts.size() == 3 && parts.at(0) == QLatin1String("events")
        && parts.at(2) == QLatin1String("messages") && Protocol::isValidSlug(parts.at(1)))
        return parts.at(1);
    return {};
}

QByteArray mimeType(const QString &fileName)
{
    const QString suffix = QFileInfo(fileName).suffix();
    if (suffix == QLatin1String("html"))
        return QByteArrayLiteral("text/html; charset=utf-8");
    if (suffix == QLatin1String("js") || suffix == QLatin1String("mjs"))
        return QByteArrayLiteral("text/javascript; charset=utf-8");
    if (suffix == QLatin1String("css"))
        return QByteArrayLiteral("text/css; charset=utf-8");
    if (suffix == QLatin1String("svg"))
        return QByteArrayLiteral("image/svg+xml");
    if (suffix == QLatin1String("png"))
        return QByteArrayLiteral("image/png");
    if (suffix == QLatin1String("ico"))
        return QByteArrayLiteral("image/x-icon");
    return QByteArrayLiteral("application/octet-stream");
}

} // namespace

ApiServer::ApiServer(ChannelHub &hub, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_hub(hub)
{
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this, &ApiServer::onWebSocket);
}

void ApiServer::setAllowedOrigins(const QStringList &origins)
{
    m_allowedOrigins = origins;
    m_allowedHosts.clear();
    for (const QString &origin : origins)
        m_allowedHosts.append(QUrl(origin).host().toLower());
}

bool ApiServer::hostAllowed(const QByteArray &hostHeader) const
{
    if (hostHeader.isEmpty())
        return true; // HTTP/1.0 tools; browsers always send one
    // "name:port", "1.2.3.4:port" or "[::1]:port"
    const QUrl url(QStringLiteral("http://") + QString::fromLatin1(hostHeader));
    const QString host = url.host().toLower();
    if (host.isEmpty())
        return false;
    if (!QHostAddress(host).isNull() || host == QLatin1String("localhost"))
        return true;
    return m_allowedHosts.contains(host);
}

void ApiServer::setWriteLimit(RateLimiter::Rule rule, bool trustLoopback)
{
    m_writeLimit.emplace(rule);
    m_trustLoopback = trustLoopback;
}

void ApiServer::bindLimited(LimitedTcpServer *server)
{
    m_tcp = server;
    bind(server);
}

bool ApiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    // Only browsers send Origin, and only browsers can be turned against us
    // by rebinding; native clients may use any name for the server.
    const bool hostOk = request.value(QByteArrayLiteral("origin")).isEmpty()
        || hostAllowed(request.value(QByteArrayLiteral("host")));
    if (request.value(QByteArrayLiteral("upgrade")).toLower() == "websocket") {
        if (channelSlug(path).isEmpty() || !hostOk)
            return false;
        // Returning true without writing lets Qt hand the socket to its
        // WebSocket server; from here on the channel's limits apply.
        if (m_tcp)
            m_tcp->release(socket);
        return true;
    }

    HttpReply reply(makeResponder(request, socket), socket);
    if (!hostOk) {
        reply.error(421, QStringLiteral("misdirected"),
            QStringLiteral("This server does not answer for that host name; its operator can"
                           " allow it with --allow-origin."));
        return true;
    }
    const QHostAddress client = m_clients.of(
        request.remoteAddress(), request.value(QByteArrayLiteral("x-forwarded-for")));
    if (m_writeLimit && request.method() != QHttpServerRequest::Method::Get
        && !(m_trustLoopback && client.isLoopback()) && !m_writeLimit->allow(client)) {
        const int wait = m_writeLimit->retryAfter(client);
        reply.error(429, QStringLiteral("rate_limited"),
            QStringLiteral("Too many requests; try again in %1 s.").arg(wait),
            {{QStringLiteral("retryAfter"), wait}});
        return true;
    }
    switch (m_router.dispatch(request, reply)) {
    case Router::Match::Handled:
        return true;
    case Router::Match::MethodNotAllowed:
        reply.error(405, QStringLiteral("method_not_allowed"),
            QStringLiteral("This path does not take that method."));
        return true;
    case Router::Match::NotFound:
        break;
    }
    if (serveStatic(request, reply))
        return true;
    reply.error(404, QStringLiteral("not_found"), QStringLiteral("Nothing here."));
    return true;
}

void ApiServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    HttpReply(makeResponder(request, socket), socket)
        .error(404, QStringLiteral("not_found"), QStringLiteral("Nothing here."));
}

bool ApiServer::serveStatic(const QHttpServerRequest &request, HttpReply &reply) const
{
    if (request.method() != QHttpServerRequest::Method::Get)
        return false;
    QString path = request.url().path();
    if (path == QLatin1String("/"))
        path = QStringLiteral("/index.html");
    // Flat names only: no way out of the embedded folder.
    const QString name = path.mid(1);
    if (name.isEmpty() || name.contains(u'/') || name.startsWith(u'.'))
        return false;
    QFile file(QStringLiteral(":/web/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    reply.bytes(200, mimeType(name), file.readAll(), QByteArrayLiteral("no-cache"));
    return true;
}

bool ApiServer::originAllowed(const QString &origin, const QUrl &requestUrl) const
{
    // Native clients (the counter app, tools) send no Origin; browsers do,
    // and only the server's own page and configured origins may subscribe.
    if (origin.isEmpty())
        return true;
    const QUrl from(origin);
    if (from.host() == requestUrl.host() && from.port(80) == requestUrl.port(80))
        return true;
    return m_allowedOrigins.contains(origin);
}

void ApiServer::onWebSocket()
{
    while (hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = nextPendingWebSocketConnection();
        if (!socket)
            continue;
        // From here the TCP socket goes when the WebSocket goes.
        if (m_tcp)
            m_tcp->handOver(socket.get(), socket->peerAddress(), socket->peerPort());
        if (!originAllowed(socket->origin(), socket->requestUrl())) {
            socket->close(
                QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("origin not allowed"));
            socket.release()->deleteLater();
            continue;
        }
        const QString slug = channelSlug(socket->requestUrl().path());
        m_hub.accept(std::move(socket), slug);
    }
}

} // namespace Marquee
