// The server's own checks on a request head, before any handler runs: the
// Router's path matching (against the real API's route table), the Host and
// Origin checks (OriginPolicy), the client behind a trusted proxy
// (ClientAddress, X-Forwarded-For) and the bearer token (Tokens::bearer).
// Input: an HTTP/1.1 request head as a client sends it. Splitting it into
// method, target and headers is this harness's job, not the code under test:
// Qt's parser does that in the server, and the framing checks being added on
// another branch (RequestFraming) get a target of their own.
#include "ClientAddress.h"
#include "FuzzCheck.h"
#include "OriginPolicy.h"
#include "Router.h"
#include "Tokens.h"

#include <QHash>
#include <QUrl>

using namespace Marquee;
using Method = QHttpServerRequest::Method;

namespace {

struct Head
{
    Method method = Method::Unknown;
    QUrl url;
    QHash<QByteArray, QByteArray> headers; ///< names in lower case, as Qt's value() matches
};

Method methodOf(const QByteArray &name)
{
    static const QHash<QByteArray, Method> methods{{"GET", Method::Get}, {"PUT", Method::Put},
        {"DELETE", Method::Delete}, {"POST", Method::Post}, {"HEAD", Method::Head},
        {"OPTIONS", Method::Options}, {"PATCH", Method::Patch}};
    return methods.value(name, Method::Unknown);
}

/// Roughly what Qt 6.4's request parser hands on: the path and query of the
/// target, each set in tolerant mode.
QUrl urlOf(const QByteArray &target)
{
    QUrl url;
    const qsizetype mark = target.indexOf('?');
    url.setPath(QString::fromUtf8(target.left(mark)), QUrl::TolerantMode);
    if (mark >= 0)
        url.setQuery(QString::fromUtf8(target.mid(mark + 1)), QUrl::TolerantMode);
    return url;
}

Head parseHead(const QByteArray &input)
{
    Head head;
    const QList<QByteArray> lines = input.split('\n');
    const QList<QByteArray> start = lines.value(0).trimmed().split(' ');
    head.method = methodOf(start.value(0));
    head.url = urlOf(start.value(1));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            head.headers.insert(
                lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
    }
    return head;
}

/// The API's routes, as the controllers register them (a copy: the
/// controllers need a database to be made).
const Router &apiRouter()
{
    static const Router router = [] {
        Router r;
        const Router::Handler none = [](const HttpRequest &, HttpReply) {};
        for (const auto &[method, pattern] :
            std::initializer_list<std::pair<Method, const char *>>{{Method::Get, "/api/v1/events"},
                {Method::Get, "/api/v1/events/{}"}, {Method::Get, "/api/v1/events/{}/plan.svg"},
                {Method::Get, "/api/v1/events/{}/availability"}, {Method::Post, "/api/v1/carts"},
                {Method::Get, "/api/v1/carts/{}"}, {Method::Post, "/api/v1/carts/{}/holds"},
                {Method::Post, "/api/v1/carts/{}/holds/{}/renew"},
                {Method::Delete, "/api/v1/carts/{}/holds/{}"},
                {Method::Post, "/api/v1/carts/{}/checkout"},
                {Method::Post, "/api/v1/payments/{}/confirm"},
                {Method::Post, "/api/v1/counter/sales"}, {Method::Post, "/api/v1/session"},
                {Method::Delete, "/api/v1/session"}, {Method::Get, "/api/v1/orders/{}"},
                {Method::Post, "/api/v1/orders/{}/refund"},
                {Method::Post, "/api/v1/orders/{}/void"}, {Method::Get, "/api/v1/users"},
                {Method::Post, "/api/v1/users"}, {Method::Patch, "/api/v1/users/{}"},
                {Method::Get, "/api/v1/credentials"}, {Method::Post, "/api/v1/credentials"},
                {Method::Delete, "/api/v1/credentials/{}"}, {Method::Get, "/api/v1/audit"}})
            r.add(method, QString::fromLatin1(pattern), none);
        return r;
    }();
    return router;
}

void checkRoute(const Head &head)
{
    const Router::Found found = apiRouter().find(head.method, head.url.path());
    FUZZ_CHECK((found.match == Router::Match::Handled) == (found.handler != nullptr));
    for (const QString &arg : found.args)
        FUZZ_CHECK(!arg.isEmpty() && !arg.contains(u'/'));
}

void checkOrigin(const Head &head)
{
    static const OriginPolicy policy({QStringLiteral("https://tickets.example.org")});
    const QByteArray host = head.headers.value("host");
    const QByteArray origin = head.headers.value("origin");
    policy.hostAllowed(host);
    const bool allowed = policy.originAllowed(origin, QStringLiteral("http"), host);
    FUZZ_CHECK(allowed || !origin.isEmpty());
}

void checkClient(const Head &head)
{
    static const QHostAddress proxy(QStringLiteral("10.0.0.5"));
    static const QHostAddress stranger(QStringLiteral("192.0.2.1"));
    static const ClientAddress clients({proxy});
    const QByteArray forwarded = head.headers.value("x-forwarded-for");
    // Only a trusted proxy is believed; anyone else is counted as itself.
    FUZZ_CHECK(clients.of(stranger, forwarded) == stranger);
    const QHostAddress behind = clients.of(proxy, forwarded);
    FUZZ_CHECK(!behind.isNull());
    FUZZ_CHECK(ClientAddress::normalized(behind) == behind);
}

void checkBearer(const Head &head)
{
    const QString token = Tokens::bearer(head.headers.value("authorization"));
    // Trimmed of ASCII white space, as the header is; a Latin-1 no-break
    // space may stay (QString::trimmed() would drop it): such a token
    // matches none, as tokens are base64url.
    FUZZ_CHECK(token.size() <= 128 && token.toLatin1().trimmed() == token.toLatin1());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const Head head = parseHead(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    checkRoute(head);
    checkOrigin(head);
    checkClient(head);
    checkBearer(head);
    return 0;
}
