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

Router::Found Router::find(QHttpServerRequest::Method method, const QString &path) const
{
    const QStringList segments = path.split(u'/', Qt::SkipEmptyParts);
    bool pathKnown = false;
    for (const Route &route : m_routes) {
        QStringList args;
        if (!matches(route, segments, &args))
            continue;
        pathKnown = true;
        if (route.method == method)
            return {Match::Handled, &route.handler, args, route.uses};
    }
    return {pathKnown ? Match::MethodNotAllowed : Match::NotFound, nullptr, {}};
}

Router::Match Router::dispatch(
    const QHttpServerRequest &request, HttpReply reply, const QHostAddress &client) const
{
    const Found found = find(request.method(), request.url().path());
    if (!found.handler)
        return found.match;
    if (found.uses == Uses::Storage && m_admission && !m_admission(reply))
        return Match::Handled;
    (*found.handler)(HttpRequest{request, found.args, client}, reply);
    return found.match;
}

} // namespace Marquee
