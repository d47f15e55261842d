#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPointer>
#include <QTcpSocket>
#include <QtHttpServer/QHttpServerResponder>
#include <QtHttpServer/QHttpServerResponse>
#include <chrono>
#include <memory>

namespace Marquee {

class Clock;
class Metrics;
class ResponseQueue;

/// The answer to one HTTP request, which may be given later (after a storage
/// job) from any callback on the server's thread. Copies share one answer.
/// If the client has gone away meanwhile, sending does nothing: Qt 6.4's
/// responder would otherwise write to a deleted socket. Answers on one
/// connection go out in request order (see ResponseQueue), so a reply must
/// be constructed when its request arrives, and always be answered: an
/// unanswered one holds back the later ones until the connection's request
/// deadline closes it. With \a metrics, each answer is counted by status
/// class and timed from the reply's construction.
class HttpReply
{
public:
    /// With \a clock, every answer carries a Date header by it, stamped
    /// when the answer goes out.
    HttpReply(QHttpServerResponder &&responder, QTcpSocket *socket, Metrics *metrics = nullptr,
        const Clock *clock = nullptr);

    /// An answer was given (whether or not the client was still there).
    bool sent() const { return m_state->sent; }

    void json(int status, const QJsonValue &body);
    /// {"error": code, "message": message, ...extra}
    void error(int status, const QString &code, const QString &message, QJsonObject extra = {});
    void bytes(int status, const QByteArray &mimeType, const QByteArray &body,
        const QByteArray &cacheControl = QByteArrayLiteral("no-store"));
    void noContent();
    /// A header for the answer, besides the security headers.
    void setHeader(QByteArray name, QByteArray value)
    {
        m_state->headers.append({std::move(name), std::move(value)});
    }
    /// 303 to \a location (a path on this server): after a form's POST the
    /// browser GETs the next page, and Back does not post again.
    void seeOther(const QString &location);
    /// 503 for a failed storage job; the details go to the log, not the client.
    void storageFailed(const QString &error);
    /// An error the client may retry after \a seconds: "retryAfter" in the
    /// body and a Retry-After header, which proxies and HTTP libraries
    /// understand without knowing our bodies (429, 503).
    void retryLater(int status, const QString &code, const QString &message, int seconds,
        QJsonObject extra = {});

    /// "Fri, 04 Dec 2026 09:30:00 GMT"
    static QByteArray httpDate(const QDateTime &time);

private:
    static void withSecurityHeaders(QHttpServerResponse &response, const QByteArray &cacheControl);

    struct State
    {
        QHttpServerResponder responder;
        QPointer<QTcpSocket> socket;
        bool sent = false;
        QPointer<ResponseQueue> queue;
        quint64 place = 0; ///< in queue
        QList<std::pair<QByteArray, QByteArray>> headers; ///< besides the security headers
        Metrics *metrics = nullptr;
        std::chrono::steady_clock::time_point arrived;
        const Clock *clock = nullptr;
    };
    std::shared_ptr<State> m_state;
};

} // namespace Marquee
