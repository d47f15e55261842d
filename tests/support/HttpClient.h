#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QStringList>
#include <QUrl>

namespace Marquee::Test {

/// Real HTTP over loopback for tests: each call waits (spinning the event
/// loop, so the in-process server keeps serving) for the answer.
class HttpClient
{
public:
    struct Response
    {
        int status = 0;
        QByteArray body;
        QByteArray location; ///< of a redirect, which is not followed
        QByteArray contentType;
        QList<std::pair<QByteArray, QByteArray>> headers; ///< as received
        QByteArray header(const QByteArray &name) const
        {
            for (const auto &[key, value] : headers) {
                if (key.compare(name, Qt::CaseInsensitive) == 0)
                    return value;
            }
            return {};
        }
        QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
        QJsonDocument document() const { return QJsonDocument::fromJson(body); }
    };

    explicit HttpClient(QUrl base);

    Response get(const QString &path, const QString &token = {});
    Response post(const QString &path, const QByteArray &body, const QString &token = {});
    Response post(const QString &path, const QJsonObject &body, const QString &token = {});
    Response del(const QString &path, const QString &token = {});
    Response patch(const QString &path, const QJsonObject &body, const QString &token = {});
    using Headers = QList<std::pair<QByteArray, QByteArray>>;
    /// POST with headers of the test's choosing (a provider's signature, a
    /// form's content type) and no bearer token.
    Response post(const QString &path, const QByteArray &body, const Headers &headers);
    /// GET with headers of the test's choosing (If-None-Match,
    /// Accept-Encoding: then the body is as sent, not decompressed).
    Response get(const QString &path, const Headers &headers);
    /// POST /api/v1/session; the session's token, or empty when refused.
    QString signIn(const QString &user, const QString &password);
    /// POST /api/v1/carts/{cart}/holds: \a seats of a seated event, or
    /// \a quantity places of a general-admission one.
    Response holdSeats(
        const QString &cart, const QString &token, const QString &event, const QStringList &seats);
    Response holdPlaces(
        const QString &cart, const QString &token, const QString &event, int quantity);
    /// POST /api/v1/counter/sales with an Idempotency-Key (\a key, or a
    /// fresh one).
    Response sellCash(const QString &cart, const QString &token, const QStringList &holds = {},
        const QString &key = {});

    /// POST /api/v1/carts; returns {cart, token}.
    std::pair<QString, QString> newCart();
    /// A new cart holding \a seats of \a event (a warning when refused).
    std::pair<QString, QString> heldCart(const QString &event, const QStringList &seats);
    /// A seat's state as GET /api/v1/events/{event}/availability says
    /// ("available", "held", "sold", "blocked"), empty for no such seat.
    QString seatState(const QString &event, const QString &seat);

private:
    Response send(const QByteArray &verb, const QString &path, const QByteArray &body,
        const QString &token, const QByteArray &idempotencyKey = {}, const Headers &headers = {});

    QUrl m_base;
    QNetworkAccessManager m_network;
};

} // namespace Marquee::Test
