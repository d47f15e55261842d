#include "HttpClient.h"

#include <QBuffer>
#include <QEventLoop>
#include <QJsonArray>
#include <QNetworkReply>
#include <QTimer>
#include <QUuid>

namespace Marquee::Test {

HttpClient::HttpClient(QUrl base)
    : m_base(std::move(base))
{
}

HttpClient::Response HttpClient::send(const QByteArray &verb, const QString &path,
    const QByteArray &body, const QString &token, const QByteArray &idempotencyKey,
    const Headers &headers)
{
    QNetworkRequest request(m_base.resolved(QUrl(path)));
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    if (!idempotencyKey.isEmpty())
        request.setRawHeader("Idempotency-Key", idempotencyKey);
    QBuffer buffer;
    buffer.setData(body);
    QNetworkReply *reply = m_network.sendCustomRequest(request, verb, &buffer);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(15000, &loop, &QEventLoop::quit);
    loop.exec();
    Response response;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.body = reply->readAll();
    response.location = reply->rawHeader("Location");
    response.contentType = reply->rawHeader("Content-Type");
    response.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return response;
}

HttpClient::Response HttpClient::get(const QString &path, const QString &token)
{
    return send("GET", path, {}, token);
}

HttpClient::Response HttpClient::get(const QString &path, const Headers &headers)
{
    return send("GET", path, {}, {}, {}, headers);
}

HttpClient::Response HttpClient::post(
    const QString &path, const QByteArray &body, const QString &token)
{
    return send("POST", path, body, token);
}

HttpClient::Response HttpClient::post(
    const QString &path, const QByteArray &body, const Headers &headers)
{
    return send("POST", path, body, {}, {}, headers);
}

HttpClient::Response HttpClient::post(
    const QString &path, const QJsonObject &body, const QString &token)
{
    return send("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), token);
}

HttpClient::Response HttpClient::holdSeats(
    const QString &cart, const QString &token, const QString &event, const QStringList &seats)
{
    return post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart),
        QJsonObject{{QStringLiteral("event"), event},
            {QStringLiteral("seats"), QJsonArray::fromStringList(seats)}},
        token);
}

HttpClient::Response HttpClient::holdPlaces(
    const QString &cart, const QString &token, const QString &event, int quantity)
{
    return post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart),
        QJsonObject{{QStringLiteral("event"), event}, {QStringLiteral("quantity"), quantity}},
        token);
}

HttpClient::Response HttpClient::sellCash(
    const QString &cart, const QString &token, const QStringList &holds, const QString &key)
{
    QJsonObject body{
        {QStringLiteral("cart"), cart}, {QStringLiteral("payment"), QStringLiteral("cash")}};
    if (!holds.isEmpty())
        body.insert(QStringLiteral("holds"), QJsonArray::fromStringList(holds));
    const QString idempotencyKey
        = key.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : key;
    return send("POST", QStringLiteral("/api/v1/counter/sales"),
        QJsonDocument(body).toJson(QJsonDocument::Compact), token, idempotencyKey.toLatin1());
}

HttpClient::Response HttpClient::del(const QString &path, const QString &token)
{
    return send("DELETE", path, {}, token);
}

HttpClient::Response HttpClient::patch(
    const QString &path, const QJsonObject &body, const QString &token)
{
    return send("PATCH", path, QJsonDocument(body).toJson(QJsonDocument::Compact), token);
}

QString HttpClient::signIn(const QString &user, const QString &password)
{
    return post(QStringLiteral("/api/v1/session"),
        QJsonObject{{QStringLiteral("user"), user}, {QStringLiteral("password"), password}})
        .json()
        .value(QLatin1String("token"))
        .toString();
}

std::pair<QString, QString> HttpClient::heldCart(const QString &event, const QStringList &seats)
{
    const auto [cart, token] = newCart();
    const Response held = holdSeats(cart, token, event, seats);
    if (held.status != 201)
        qWarning("hold: %d %s", held.status, held.body.constData());
    return {cart, token};
}

QString HttpClient::seatState(const QString &event, const QString &seat)
{
    return get(QStringLiteral("/api/v1/events/%1/availability").arg(event))
        .json()
        .value(QLatin1String("seats"))
        .toObject()
        .value(seat)
        .toString();
}

std::pair<QString, QString> HttpClient::newCart()
{
    const QJsonObject cart = post(QStringLiteral("/api/v1/carts"), QByteArray()).json();
    return {cart.value(QLatin1String("cart")).toString(),
        cart.value(QLatin1String("token")).toString()};
}

} // namespace Marquee::Test
