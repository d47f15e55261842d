#include "ApiClient.h"

#include <QCryptographicHash>
#include <QLocale>
#include <QTimer>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>

namespace Marquee {

namespace {

// A counter clerk waits with a customer in front of them: fail fast and say so.
constexpr int TransferTimeoutMs = 10'000;
// Plans are a few hundred KiB at most; anything larger is not ours.
constexpr qint64 MaxBodyBytes = 8 * 1024 * 1024;

/// Set on a reply whose server showed a certificate nobody vouched for.
constexpr const char *UntrustedProperty = "marqueeUntrustedCertificate";

QString segment(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

ApiClient::ApiClient(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    // Errors are ignored only for the pinned certificate itself; for any
    // other the handshake fails and unreachable() says why.
    connect(m_network, &QNetworkAccessManager::sslErrors, this,
        [this](QNetworkReply *reply, const QList<QSslError> &errors) {
            const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
            if (m_pin.matches(peer))
                reply->ignoreSslErrors(errors);
            else
                reply->setProperty(UntrustedProperty, QVariant::fromValue(peer));
        });
}

void ApiClient::setServer(const QUrl &server)
{
    m_server = server;
}

QUrl ApiClient::channelUrl(const QString &slug) const
{
    QUrl url = urlFor(QStringLiteral("/events/") + segment(slug) + QStringLiteral("/messages"));
    url.setScheme(
        m_server.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    return url;
}

QUrl ApiClient::urlFor(const QString &path) const
{
    // Keep a path prefix (a reverse proxy may serve us under /marquee).
    QUrl url = m_server;
    QString base = url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    // Callers encode their path segments, so a '?' here starts a query
    // they encoded too (QUrl would turn it into %3F in the path).
    const qsizetype question = path.indexOf(u'?');
    url.setPath(base + path.left(question), QUrl::TolerantMode);
    url.setQuery(question < 0 ? QString() : path.mid(question + 1), QUrl::StrictMode);
    url.setFragment(QString());
    return url;
}

ApiError ApiClient::malformed()
{
    ApiError error;
    error.message = tr("The server sent an answer this program does not understand.");
    return error;
}

void ApiClient::send(const QByteArray &verb, const QString &path, const QByteArray &body,
    const QString &bearer, QObject *context, RawCallback done, const QByteArray &idempotencyKey)
{
    QNetworkRequest request(urlFor(path));
    if (!idempotencyKey.isEmpty())
        request.setRawHeader("Idempotency-Key", idempotencyKey);
    request.setTransferTimeout(TransferTimeoutMs);
    request.setRawHeader("Accept", "application/json");
    if (!body.isEmpty())
        request.setHeader(
            QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer.toUtf8());

    QNetworkReply *reply = m_network->sendCustomRequest(request, verb, body);
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > MaxBodyBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    connect(reply, &QNetworkReply::finished, context, [this, reply, done = std::move(done)] {
        learnServerTime(reply);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray answer = reply->readAll();
        // A 2xx whose transfer broke off (too large, timed out) is no answer either.
        if (status == 0 || (status < 300 && reply->error() != QNetworkReply::NoError)) {
            done(0, answer, unreachable(reply));
            return;
        }
        emit answered();
        if (status >= 200 && status < 300) {
            done(status, answer, ApiError{});
            return;
        }
        ApiError error = ApiJson::error(status, QJsonDocument::fromJson(answer).object());
        // The clerk reads our words, in their language; the server's English
        // sentence is only the fallback for codes this program does not know.
        const QString own = describe(error);
        if (!own.isEmpty())
            error.message = own;
        if (error.message.isEmpty())
            error.message = tr("The server refused the request (HTTP %1).").arg(status);
        done(status, answer, error);
    });
}

QString ApiClient::describe(const ApiError &error)
{
    const QString &code = error.code;
    if (code == QLatin1String("unavailable")) {
        if (!error.seats.isEmpty())
            return tr("Not available any more: %1. Nothing was held.")
                .arg(error.seats.join(QStringLiteral(", ")));
        if (error.available >= 0)
            return tr("Only %n place(s) left. Nothing was held.", nullptr, error.available);
    }
    if (code == QLatin1String("unauthorized"))
        return tr("Your session has ended. Sign in again.");
    if (code == QLatin1String("forbidden"))
        return tr("Your account may not do this; ask a manager.");
    if (code == QLatin1String("rate_limited") && error.retryAfter > 0)
        return tr("Too many attempts; try again in %n second(s).", nullptr, error.retryAfter);
    if (code == QLatin1String("rate_limited"))
        return tr("Too many requests from this terminal; wait a moment and try again.");
    if (code == QLatin1String("unavailable_storage"))
        return tr("The server's database did not answer; try again.");
    if (code == QLatin1String("too_large"))
        return tr("The request was too large for the server.");
    if (code == QLatin1String("renewal_limit"))
        return tr("This hold cannot be extended again.");
    if (code == QLatin1String("hold_lost"))
        return tr("Part of this sale ran out before it was paid, so nothing was sold.");
    return {};
}

ApiError ApiClient::unreachable(QNetworkReply *reply) const
{
    ApiError error;
    const QVariant untrusted = reply->property(UntrustedProperty);
    if (untrusted.isValid()) {
        error.code = QStringLiteral("untrusted_certificate");
        error.certificate = untrusted.value<QSslCertificate>();
        error.message = m_pin.sha256.isEmpty()
            ? tr("The server at %1 shows a certificate this computer does not trust.")
                  .arg(m_server.toDisplayString())
            : tr("The certificate of the server at %1 has changed. If the venue did not "
                 "replace it, another machine may be posing as the server.")
                  .arg(m_server.toDisplayString());
        return error;
    }
    error.code = QStringLiteral("unreachable");
    error.message = tr("The server at %1 cannot be reached: %2")
                        .arg(m_server.toDisplayString(), reply->errorString());
    return error;
}

void ApiClient::sendJson(const QByteArray &verb, const QString &path, const QByteArray &body,
    const QString &bearer, QObject *context,
    std::function<void(const QJsonDocument &, const ApiError &)> done)
{
    send(verb, path, body, bearer, context,
        [done = std::move(done)](int, const QByteArray &answer, const ApiError &error) {
            if (!error.message.isEmpty()) {
                done(QJsonDocument(), error);
                return;
            }
            QJsonParseError parseError;
            const QJsonDocument document = QJsonDocument::fromJson(answer, &parseError);
            if (parseError.error != QJsonParseError::NoError) {
                done(QJsonDocument(), malformed());
                return;
            }
            done(document, ApiError{});
        });
}

void ApiClient::fetchEvents(QObject *context, Callback<QList<EventSummary>> done)
{
    sendJson("GET", QStringLiteral("/api/v1/events"), {}, {}, context,
        [done = std::move(done)](const QJsonDocument &document, const ApiError &error) {
            ApiResult<QList<EventSummary>> result;
            result.error = error;
            if (!error.message.isEmpty())
                return done(result);
            if (!document.isArray()) {
                result.error = malformed();
                return done(result);
            }
            QList<EventSummary> events;
            const QJsonArray array = document.array();
            for (const QJsonValue &value : array) {
                // One odd entry should not hide the other events from the clerk.
                if (const auto event = ApiJson::eventSummary(value.toObject()))
                    events.append(*event);
            }
            result.value = events;
            done(result);
        });
}

namespace {

/// Turns a JSON answer into ApiResult<T> with one of the ApiJson readers.
template <typename T, typename Reader>
auto objectReader(ApiClient::Callback<T> done, Reader read, ApiError (*malformed)())
{
    return [done = std::move(done), read, malformed](
               const QJsonDocument &document, const ApiError &error) {
        ApiResult<T> result;
        result.error = error;
        if (!error.message.isEmpty())
            return done(result);
        result.value = read(document.object());
        if (!result.value)
            result.error = malformed();
        done(result);
    };
}

} // namespace

void ApiClient::signIn(
    const QString &user, const QString &password, QObject *context, Callback<StaffSession> done)
{
    const QJsonObject body{{QStringLiteral("user"), user}, {QStringLiteral("password"), password}};
    sendJson("POST", QStringLiteral("/api/v1/session"), compact(body), {}, context,
        objectReader<StaffSession>(
            [this, done = std::move(done)](const ApiResult<StaffSession> &result) {
                if (result.ok()) {
                    // Unlocking opens a new session; the old one ends now
                    // rather than lingering until its timeout.
                    const QString previous = m_session.token;
                    m_session = *result.value;
                    if (!previous.isEmpty())
                        send("DELETE", QStringLiteral("/api/v1/session"), {}, previous, this,
                            [](int, const QByteArray &, const ApiError &) {});
                }
                done(result);
                if (result.ok())
                    emit sessionChanged();
            },
            &ApiJson::staffSession, &malformed));
}

void ApiClient::signOut()
{
    if (m_session.token.isEmpty())
        return;
    // Fire and forget: the session is over for this terminal either way.
    send("DELETE", QStringLiteral("/api/v1/session"), {}, m_session.token, this,
        [](int, const QByteArray &, const ApiError &) {});
    m_session = {};
    emit sessionChanged();
}

void ApiClient::fetchEventDetails(
    const QString &slug, QObject *context, Callback<EventDetails> done)
{
    sendJson("GET", QStringLiteral("/api/v1/events/") + segment(slug), {}, {}, context,
        objectReader<EventDetails>(std::move(done), &ApiJson::eventDetails, &malformed));
}

void ApiClient::fetchPlan(const QString &planPath, QObject *context, Callback<QByteArray> done)
{
    send("GET", planPath, {}, {}, context,
        [done = std::move(done)](int, const QByteArray &body, const ApiError &error) {
            ApiResult<QByteArray> result;
            result.error = error;
            if (error.message.isEmpty())
                result.value = body;
            done(result);
        });
}

void ApiClient::createCart(QObject *context, Callback<Cart> done)
{
    // With the terminal's staff token the server makes a counter cart, which
    // the per-address caps for online customers (carts per minute, seats
    // held) do not apply to: the counter sells to big groups.
    sendJson("POST", QStringLiteral("/api/v1/carts"), {}, m_session.token, context,
        objectReader<Cart>(std::move(done), &ApiJson::cart, &malformed));
}

void ApiClient::holdSeats(const Cart &cart, const QString &event, const QStringList &seats,
    QObject *context, Callback<Hold> done)
{
    QJsonObject body{{QStringLiteral("event"), event},
        {QStringLiteral("seats"), QJsonArray::fromStringList(seats)}};
    sendJson("POST", QStringLiteral("/api/v1/carts/") + segment(cart.id) + QStringLiteral("/holds"),
        compact(body), cart.token, context,
        objectReader<Hold>(std::move(done), &ApiJson::hold, &malformed));
}

void ApiClient::holdQuantity(
    const Cart &cart, const QString &event, int quantity, QObject *context, Callback<Hold> done)
{
    QJsonObject body{{QStringLiteral("event"), event}, {QStringLiteral("quantity"), quantity}};
    sendJson("POST", QStringLiteral("/api/v1/carts/") + segment(cart.id) + QStringLiteral("/holds"),
        compact(body), cart.token, context,
        objectReader<Hold>(std::move(done), &ApiJson::hold, &malformed));
}

void ApiClient::releaseHold(
    const Cart &cart, const QString &hold, QObject *context, Callback<Done> done)
{
    send("DELETE",
        QStringLiteral("/api/v1/carts/") + segment(cart.id) + QStringLiteral("/holds/")
            + segment(hold),
        {}, cart.token, context,
        [done = std::move(done)](int, const QByteArray &, const ApiError &error) {
            ApiResult<Done> result;
            result.error = error;
            if (error.message.isEmpty())
                result.value = Done{};
            done(result);
        });
}

void ApiClient::renewHold(
    const Cart &cart, const QString &hold, QObject *context, Callback<Hold> done)
{
    sendJson("POST",
        QStringLiteral("/api/v1/carts/") + segment(cart.id) + QStringLiteral("/holds/")
            + segment(hold) + QStringLiteral("/renew"),
        {}, cart.token, context, objectReader<Hold>(std::move(done), &ApiJson::hold, &malformed));
}

void ApiClient::fetchHeldUntil(const QString &event, const QStringList &seats, QObject *context,
    Callback<QHash<QString, QDateTime>> done)
{
    QStringList encoded;
    for (const QString &seat : seats)
        encoded.append(segment(seat));
    sendJson("GET",
        QStringLiteral("/api/v1/counter/events/") + segment(event) + QStringLiteral("/held?seats=")
            + encoded.join(u','),
        {}, m_session.token, context,
        [done = std::move(done)](const QJsonDocument &document, const ApiError &error) {
            ApiResult<QHash<QString, QDateTime>> result;
            result.error = error;
            if (!error.message.isEmpty())
                return done(result);
            QHash<QString, QDateTime> until;
            const QJsonObject held = document.object().value(QLatin1String("seats")).toObject();
            for (auto it = held.constBegin(); it != held.constEnd(); ++it)
                until.insert(it.key(), QDateTime::fromString(it.value().toString(), Qt::ISODate));
            result.value = until;
            done(result);
        });
}

QDateTime ApiClient::serverNow() const
{
    return m_clock->now().addMSecs(m_serverOffsetMs);
}

void ApiClient::learnServerTime(const QNetworkReply *reply)
{
    // "Fri, 04 Dec 2026 09:30:00 GMT", read as UTC from the start (read as
    // local time, an hour that a clock change skips would not parse).
    const QString date = QString::fromLatin1(reply->rawHeader("Date"));
    const QDate day = QLocale::c().toDate(date.mid(5, 11), QStringLiteral("dd MMM yyyy"));
    const QTime time = QTime::fromString(date.mid(17, 8), QStringLiteral("hh:mm:ss"));
    if (!day.isValid() || !time.isValid() || !date.endsWith(QLatin1String(" GMT")))
        return;
    // The header counts whole seconds, so the server's time is up to a
    // second later than it says: taking the late end makes countdowns err
    // early, never late. Each answer bounds the offset from above (it was
    // dated before it reached us), so the smallest one seen is the best;
    // a much larger one means a clock was set, and starts over.
    const qint64 offset = m_clock->now().msecsTo(QDateTime(day, time, Qt::UTC)) + 999;
    if (!m_knowsServerTime || offset < m_serverOffsetMs || offset > m_serverOffsetMs + 2000) {
        m_serverOffsetMs = offset;
        m_knowsServerTime = true;
    }
}

void ApiClient::sellCash(
    const Cart &cart, const QStringList &holds, QObject *context, Callback<SaleReceipt> done)
{
    QJsonObject body{{QStringLiteral("cart"), cart.id},
        {QStringLiteral("payment"), QStringLiteral("cash")},
        {QStringLiteral("holds"), QJsonArray::fromStringList(holds)}};
    // The sale is its cart and its holds, so its key is made of them: every
    // retry, and a clerk pressing Sell again after "cannot be reached",
    // sends the same key, and the server answers with the first answer —
    // a sale whose answer got lost is found, never sold twice or reported
    // as failed. (Hold ids are never reused, so another sale gets another key.)
    QStringList sorted = holds;
    sorted.sort();
    const QByteArray key = QCryptographicHash::hash(
        (cart.id + u'\n' + sorted.join(u',')).toUtf8(), QCryptographicHash::Sha256)
                               .toHex();
    sendSale(compact(body), key, 0, context, std::move(done));
}

void ApiClient::sendSale(const QByteArray &body, const QByteArray &key, int attempt,
    QObject *context, Callback<SaleReceipt> done)
{
    const auto read = objectReader<SaleReceipt>(done, &ApiJson::saleReceipt, &malformed);
    send(
        "POST", QStringLiteral("/api/v1/counter/sales"), body, m_session.token, context,
        [this, body, key, attempt, context, done, read](
            int status, const QByteArray &answer, const ApiError &error) {
            if (status == 401)
                emit sessionEnded();
            // No answer, or the database was away: the sale may have gone
            // through. Ask again with the same key before telling the clerk.
            const bool unknown = status == 0 || status == 503;
            if (unknown && attempt + 1 < SaleAttempts) {
                QTimer::singleShot(SaleRetryMs * (attempt + 1), context,
                    [this, body, key, attempt, context, done] {
                        sendSale(body, key, attempt + 1, context, done);
                    });
                return;
            }
            if (!error.message.isEmpty())
                return read(QJsonDocument(), error);
            read(QJsonDocument::fromJson(answer), ApiError{});
        },
        key);
}

void ApiClient::fetchAudit(
    const AuditFilter &filter, qint64 after, int limit, QObject *context, Callback<AuditPage> done)
{
    // Every value fully percent-encoded by hand: a user name with '+' or
    // '&' must reach the server as typed.
    QStringList query{QStringLiteral("after=") + QString::number(after)};
    if (limit > 0)
        query.append(QStringLiteral("limit=") + QString::number(limit));
    const auto add = [&query](const QString &key, const QString &value) {
        if (!value.isEmpty())
            query.append(key + u'=' + segment(value));
    };
    add(QStringLiteral("actor"), filter.actor);
    add(QStringLiteral("action"), filter.action);
    add(QStringLiteral("event"), filter.event);
    // Instants in UTC, as the server stores them: a local date means the
    // same moment on every terminal whatever its time zone.
    if (filter.from.isValid())
        add(QStringLiteral("from"), filter.from.toUTC().toString(Qt::ISODate));
    if (filter.until.isValid())
        add(QStringLiteral("until"), filter.until.toUTC().toString(Qt::ISODate));
    const auto read = objectReader<AuditPage>(std::move(done), &ApiJson::auditPage, &malformed);
    send("GET", QStringLiteral("/api/v1/audit?") + query.join(u'&'), {}, m_session.token, context,
        [this, read](int status, const QByteArray &answer, ApiError error) {
            if (status == 401)
                emit sessionEnded();
            if (status == 403)
                error.message = tr("Only managers and admins may read the audit trail.");
            if (!error.message.isEmpty())
                return read(QJsonDocument(), error);
            QJsonParseError parseError;
            const QJsonDocument document = QJsonDocument::fromJson(answer, &parseError);
            read(document, parseError.error == QJsonParseError::NoError ? ApiError{} : malformed());
        });
}

void ApiClient::checkIn(const QString &code, const QString &event, const QByteArray &scanKey,
    QObject *context, Callback<DoorVerdict> done)
{
    QJsonObject body{{QStringLiteral("code"), code}};
    if (!event.isEmpty())
        body.insert(QStringLiteral("event"), event);
    send(
        "POST", QStringLiteral("/api/v1/checkin"), compact(body), m_session.token, context,
        [this, done = std::move(done)](int status, const QByteArray &answer, ApiError error) {
            if (status == 401)
                emit sessionEnded();
            if (status == 403)
                error.message = tr("This account may not check tickets in.");
            ApiResult<DoorVerdict> result;
            // A refusal (409, 404) is a verdict, not a failure of the call.
            if (status == 200 || status == 404 || status == 409)
                result.value
                    = ApiJson::doorVerdict(status, QJsonDocument::fromJson(answer).object());
            if (!result.value)
                result.error = error.message.isEmpty() || status == 200 ? malformed() : error;
            done(result);
        },
        scanKey);
}

void ApiClient::fetchDoorCounts(const QString &event, QObject *context, Callback<DoorCounts> done)
{
    const auto read = objectReader<DoorCounts>(std::move(done), &ApiJson::doorCounts, &malformed);
    send("GET", QStringLiteral("/api/v1/events/") + segment(event) + QStringLiteral("/checkins"),
        {}, m_session.token, context,
        [this, read](int status, const QByteArray &answer, ApiError error) {
            if (status == 401)
                emit sessionEnded();
            if (status == 404)
                error.message = tr("The server keeps no check-in count for this event.");
            if (!error.message.isEmpty())
                return read(QJsonDocument(), error);
            QJsonParseError parseError;
            const QJsonDocument document = QJsonDocument::fromJson(answer, &parseError);
            read(document, parseError.error == QJsonParseError::NoError ? ApiError{} : malformed());
        });
}

} // namespace Marquee
