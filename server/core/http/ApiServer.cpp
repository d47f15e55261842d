#include "ApiServer.h"

#include "ChannelHub.h"
#include "Clock.h"
#include "LimitedTcpServer.h"
#include "Metrics.h"
#include "Protocol.h"
#include "ResponseQueue.h"

#include <QFile>
#include <QFileInfo>
#include <QWebSocket>
#include <utility>

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

ApiServer::ApiServer(ChannelHub &hub, const Clock &clock, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_hub(hub)
    , m_clock(clock)
{
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this, &ApiServer::onWebSocket);
}

void ApiServer::setAllowedOrigins(const QStringList &origins)
{
    m_origins = OriginPolicy(origins);
}

void ApiServer::setWriteLimit(RateLimiter::Rule rule, bool trustLoopback)
{
    m_writeLimit.emplace(rule);
    m_trustLoopback = trustLoopback;
}

void ApiServer::setReadLimit(RateLimiter::Rule rule, bool trustLoopback)
{
    m_readLimit.emplace(rule);
    m_trustLoopback = trustLoopback;
}

std::optional<int> ApiServer::rateLimited(
    const QHttpServerRequest &request, const QHostAddress &client)
{
    if (m_trustLoopback && client.isLoopback())
        return std::nullopt;
    std::optional<RateLimiter> &bucket
        = request.method() == QHttpServerRequest::Method::Get ? m_readLimit : m_writeLimit;
    if (!bucket || bucket->allow(client))
        return std::nullopt;
    return bucket->retryAfter(client);
}

void ApiServer::bindLimited(LimitedTcpServer *server)
{
    m_tcp = server;
    bind(server);
}

bool ApiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Pipelined after a request that closes the connection: not run, and
    // never answered (see ResponseQueue::closeAfter). An upgrade must not
    // return true, which would hand the socket to the WebSocket server.
    if (socket && !ResponseQueue::of(socket)->takesMore())
        return !isUpgrade(request);
    const QHostAddress client = m_clients.of(
        request.remoteAddress(), request.value(QByteArrayLiteral("x-forwarded-for")));
    if (isUpgrade(request)) {
        // Refused before the handshake: false makes Qt 6.4 call
        // missingHandler(), which answers why, and close the connection.
        if (judgeUpgrade(request, socket) != Upgrade::Accept)
            return false;
        // A channel open costs a snapshot; a reconnect loop is held to the
        // read rate like any other GET.
        m_upgradeRetryAfter = rateLimited(request, client);
        if (m_upgradeRetryAfter)
            return false;
        // Returning true without writing lets Qt hand the socket to its
        // WebSocket server; from here on the channel's limits apply.
        if (m_tcp)
            m_tcp->release(socket);
        return true;
    }

    HttpReply reply = replyTo(request, socket);
    if (!hostOk(request)) {
        reply.error(421, QStringLiteral("misdirected"),
            QStringLiteral("This server does not answer for that host name; its operator can"
                           " allow it with --allow-origin."));
        return true;
    }
    if (const std::optional<int> wait = rateLimited(request, client)) {
        reply.retryLater(429, QStringLiteral("rate_limited"),
            QStringLiteral("Too many requests; try again in %1 s.").arg(*wait), *wait);
        return true;
    }
    switch (m_router.dispatch(request, reply, client)) {
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

HttpReply ApiServer::replyTo(const QHttpServerRequest &request, QTcpSocket *socket)
{
    return HttpReply(makeResponder(request, socket), socket, m_metrics, &m_clock);
}

void ApiServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Judged before the answer takes its place in the connection's queue.
    const Upgrade verdict = isUpgrade(request) ? judgeUpgrade(request, socket) : Upgrade::NotFound;
    HttpReply reply = replyTo(request, socket);
    if (const std::optional<int> wait = std::exchange(m_upgradeRetryAfter, std::nullopt)) {
        reply.retryLater(429, QStringLiteral("rate_limited"),
            QStringLiteral("Too many requests; try again in %1 s.").arg(*wait), *wait);
        return;
    }
    switch (verdict) {
    case Upgrade::ForeignOrigin:
        reply.error(403, QStringLiteral("forbidden"),
            QStringLiteral("Pages from this origin may not open the server's channels; its"
                           " operator can allow it with --allow-origin."));
        return;
    case Upgrade::Misdirected:
        reply.error(421, QStringLiteral("misdirected"),
            QStringLiteral("This server does not answer for that host name."));
        return;
    case Upgrade::BadKey:
        reply.error(400, QStringLiteral("bad_request"),
            QStringLiteral("Sec-WebSocket-Key must be the base64 of 16 bytes."));
        return;
    case Upgrade::Pipelined:
        reply.error(400, QStringLiteral("bad_request"),
            QStringLiteral("A channel opens on a connection with no request waiting."));
        return;
    case Upgrade::Accept:
    case Upgrade::NotFound:
        break;
    }
    reply.error(404, QStringLiteral("not_found"), QStringLiteral("Nothing here."));
}

bool ApiServer::isUpgrade(const QHttpServerRequest &request)
{
    return request.value(QByteArrayLiteral("upgrade")).toLower() == "websocket";
}

bool ApiServer::isWebSocketKey(const QByteArray &key)
{
    // RFC 6455 4.1: the base64 of 16 random bytes, so exactly 24 characters.
    // Qt 6.4 takes any text, a kilobyte of it too.
    if (key.size() != 24)
        return false;
    const auto decoded
        = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    return decoded.decodingStatus == QByteArray::Base64DecodingStatus::Ok
        && decoded.decoded.size() == 16;
}

bool ApiServer::hostOk(const QHttpServerRequest &request) const
{
    // Only browsers send Origin, and only browsers can be turned against us
    // by rebinding; native clients may use any name for the server.
    return request.value(QByteArrayLiteral("origin")).isEmpty()
        || m_origins.hostAllowed(request.value(QByteArrayLiteral("host")));
}

ApiServer::Upgrade ApiServer::judgeUpgrade(
    const QHttpServerRequest &request, QTcpSocket *socket) const
{
    if (channelSlug(request.url().path()).isEmpty())
        return Upgrade::NotFound;
    if (!isWebSocketKey(request.value(QByteArrayLiteral("sec-websocket-key"))))
        return Upgrade::BadKey;
    if (socket && !ResponseQueue::of(socket)->idle())
        return Upgrade::Pipelined;
    if (!hostOk(request))
        return Upgrade::Misdirected;
    const QString scheme = socket && socket->inherits("QSslSocket") ? QStringLiteral("https")
                                                                    : QStringLiteral("http");
    if (!m_origins.originAllowed(request.value(QByteArrayLiteral("origin")), scheme,
            request.value(QByteArrayLiteral("host"))))
        return Upgrade::ForeignOrigin;
    return Upgrade::Accept;
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

void ApiServer::onWebSocket()
{
    while (hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = nextPendingWebSocketConnection();
        if (!socket)
            continue;
        // From here the TCP socket goes when the WebSocket goes.
        QTcpSocket *const tcp = m_tcp
            ? m_tcp->handOver(socket.get(), socket->peerAddress(), socket->peerPort())
            : nullptr;
        const QString slug = channelSlug(socket->requestUrl().path());
        if (m_metrics)
            m_metrics->countAnswer(101);
        m_hub.accept(std::move(socket), slug, tcp);
    }
}

} // namespace Marquee
