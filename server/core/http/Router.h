#pragma once

#include "HttpReply.h"

#include <QHostAddress>
#include <QList>
#include <QStringList>
#include <QtHttpServer/QHttpServerRequest>
#include <functional>

namespace Marquee {

/// A request as a handler sees it: the raw request plus the path's captured
/// segments, in order.
struct HttpRequest
{
    const QHttpServerRequest &raw;
    QStringList args;
    QHostAddress client; ///< the client's address (behind a trusted proxy: the one it saw)

    QByteArray header(const QByteArray &name) const { return raw.value(name); }
    /// The bearer token of the Authorization header, or empty.
    QString bearer() const;
};

/// Maps method and path pattern to a handler. Patterns are literal segments
/// and "{}" captures: "/api/v1/carts/{}/holds/{}". A known path with another
/// method gets 405 rather than 404, as a client debugging a call expects.
class Router
{
public:
    using Handler = std::function<void(const HttpRequest &, HttpReply)>;
    /// Whether a route's handler posts a storage job. Routes answered from
    /// memory say so, and are served however long the storage queue is.
    enum class Uses
    {
        Storage,
        MemoryOnly
    };
    /// Asked before a storage route's handler runs; false when it has
    /// answered the request itself (see StorageGate).
    using Admission = std::function<bool(HttpReply &)>;

    void add(QHttpServerRequest::Method method, const QString &pattern, Handler handler,
        Uses uses = Uses::Storage);
    void setStorageAdmission(Admission admission) { m_admission = std::move(admission); }

    enum class Match
    {
        Handled,
        NotFound,
        MethodNotAllowed
    };
    Match dispatch(
        const QHttpServerRequest &request, HttpReply reply, const QHostAddress &client = {}) const;

    /// What dispatch() decides, from the method and the URL's path alone (a
    /// QHttpServerRequest cannot be made outside Qt's server: unit tests and
    /// the fuzz target ask this). \c handler is set when \c match is Handled.
    struct Found
    {
        Match match = Match::NotFound;
        const Handler *handler = nullptr;
        QStringList args;
        Uses uses = Uses::Storage;
    };
    Found find(QHttpServerRequest::Method method, const QString &path) const;

private:
    struct Route
    {
        QHttpServerRequest::Method method;
        QStringList segments;
        Handler handler;
        Uses uses;
    };
    static bool matches(const Route &route, const QStringList &path, QStringList *args);

    QList<Route> m_routes;
    Admission m_admission;
};

} // namespace Marquee
