#include "Router.h"

#include "Tokens.h"

namespace Marquee {

QString HttpRequest::bearer() const
{
    return Tokens::bearer(raw.value(QByteArrayLiteral("authorization")));
}

void Router::add(
    QHttpServerRequest::Method method, const QString &pattern, Handler handler, Uses uses)
{
    m_routes.append({method, pattern.split(u'/', Qt::SkipEmptyParts), std::move(handler), uses});
}

bool Router::matches(const Route &route, const QStringList &path, QStringList *args)
{
    if (route.segments.size() != path.size())
        return false;
    QStringList captured;
    for (qsizetype i = 0; i < path.size(); ++i) {
        if (route.segments.at(i) == QLatin1String("{}"))
            captured.append(path.at(i));
        else if (route.segments.at(i) != path.at(i))
            return false;
    }
    *args = captured;
    return true;
}

Router::Match Router::dispatch(
    const QHttpServerRequest &request, HttpReply reply, const QHostAddress &client) const
{
    const QStringList path = request.url().path().split(u'/', Qt::SkipEmptyParts);
    bool pathKnown = false;
    for (const Route &route : m_routes) {
        QStringList args;
        if (!matches(route, path, &args))
            continue;
        pathKnown = true;
        if (route.method != request.method())
            continue;
        if (route.uses == Uses::Storage && m_admission && !m_admission(reply))
            return Match::Handled;
        route.handler(HttpRequest{request, args, client}, reply);
        return Match::Handled;
    }
    return pathKnown ? Match::MethodNotAllowed : Match::NotFound;
}

} // namespace Marquee
