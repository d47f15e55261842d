// The per-client caps that keep one online client from taking a show's
// inventory: seats and places held over all carts of one address, and new
// carts per minute. Clients are told apart by X-Forwarded-For through a
// --trusted-proxy on loopback, so one test process can be several clients;
// the hold cap is counted in the database, so it holds across servers.
#include "HttpClient.h"
#include "RawHttpClient.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

namespace {

constexpr int Cap = 12;

struct Cart
{
    QString id;
    QString token;
};

/// POST /api/v1/carts as the client \a address behind the proxy; an empty
/// cart and the status when refused.
std::pair<Cart, RawHttpClient::Response> newCartFrom(
    quint16 port, const QByteArray &address, const QString &staffToken = {})
{
    RawHttpClient client(port);
    QByteArray request = "POST /api/v1/carts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                         "X-Forwarded-For: "
        + address + "\r\n";
    if (!staffToken.isEmpty())
        request += "Authorization: Bearer " + staffToken.toLatin1() + "\r\n";
    client.send(request + "\r\n");
    if (!client.waitForResponses(1))
        return {};
    const RawHttpClient::Response response = client.responses().first();
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    return {{body.value(u"cart").toString(), body.value(u"token").toString()}, response};
}

Cart cartFrom(quint16 port, const QByteArray &address, const QString &staffToken = {})
{
    return newCartFrom(port, address, staffToken).first;
}

QStringList seats(const QString &row, int from, int count)
{
    QStringList labels;
    for (int i = 0; i < count; ++i)
        labels.append(row + QString::number(from + i));
    return labels;
}

} // namespace

class TestClientCaps : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void cleanup()
    {
        m_second.reset();
        m_server.reset();
    }

    void holdsOverAllCartsOfOneAddressAreCapped()
    {
        QVERIFY(startServer());
        const quint16 port = m_server->server().port();
        HttpClient http(m_server->httpUrl());
        const Cart first = cartFrom(port, "192.0.2.10");
        const Cart second = cartFrom(port, "192.0.2.10");
        QVERIFY(!first.id.isEmpty() && !second.id.isEmpty());

        QCOMPARE(
            http.holdPlaces(first.id, first.token, QStringLiteral("open-air"), 10).status, 201);
        // Seats and GA places count alike, over both carts.
        const auto refused = http.holdSeats(second.id, second.token, QStringLiteral("breakfast-ii"),
            seats(QStringLiteral("B"), 1, 3));
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.json().value(u"error").toString(), QStringLiteral("client_hold_limit"));
        QCOMPARE(refused.json().value(u"held").toInt(), 10);
        QCOMPARE(refused.json().value(u"limit").toInt(), Cap);
        // Nothing was held: the seats are still free for anyone.
        QVERIFY(http.get(QStringLiteral("/api/v1/events/breakfast-ii/availability"))
                    .json()
                    .value(u"seats")
                    .toObject()
                    .value(u"B1")
                    .toString()
            == QStringLiteral("available"));
        // Up to the cap is fine.
        const auto upToCap = http.holdSeats(second.id, second.token, QStringLiteral("breakfast-ii"),
            seats(QStringLiteral("B"), 1, 2));
        QCOMPARE(upToCap.status, 201);
        QCOMPARE(
            http.holdPlaces(second.id, second.token, QStringLiteral("open-air"), 1).status, 409);

        // Another client has a count of its own.
        const Cart other = cartFrom(port, "192.0.2.20");
        QCOMPARE(
            http.holdPlaces(other.id, other.token, QStringLiteral("open-air"), 10).status, 201);

        // A release gives room back.
        const QString hold = upToCap.json().value(u"hold").toString();
        QCOMPARE(
            http.del(QStringLiteral("/api/v1/carts/%1/holds/%2").arg(second.id, hold), second.token)
                .status,
            204);
        QCOMPARE(
            http.holdPlaces(second.id, second.token, QStringLiteral("open-air"), 2).status, 201);
        QCOMPARE(
            http.holdPlaces(second.id, second.token, QStringLiteral("open-air"), 1).status, 409);

        // Holds whose time is up hold nothing, even before the timer ran.
        m_server->clock().advance(901 * 1000);
        QCOMPARE(
            http.holdPlaces(second.id, second.token, QStringLiteral("open-air"), 10).status, 201);
    }

    void staffCartsAreNotCapped()
    {
        QVERIFY(startServer());
        const quint16 port = m_server->server().port();
        HttpClient http(m_server->httpUrl());
        const Cart customer = cartFrom(port, "192.0.2.10");
        QCOMPARE(
            http.holdPlaces(customer.id, customer.token, QStringLiteral("open-air"), 10).status,
            201);
        // The box office behind the same address sells a big group.
        const Cart counter = cartFrom(port, "192.0.2.10", m_server->staffToken());
        QVERIFY(!counter.id.isEmpty());
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(
                http.holdPlaces(counter.id, counter.token, QStringLiteral("open-air"), 10).status,
                201);
        }
        // …and its holds do not use up the customer's room either.
        QCOMPARE(http.holdPlaces(customer.id, customer.token, QStringLiteral("open-air"), 2).status,
            201);
        // A token that is not staff's makes no cart.
        QCOMPARE(newCartFrom(port, "192.0.2.10", QStringLiteral("not-a-token")).second.status, 401);
    }

    void loopbackIsNotCappedByDefault()
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().clientHoldLimit = Cap;
        m_server->options().cartsPerMinute = 2;
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        HttpClient http(m_server->httpUrl());
        Cart cart;
        for (int i = 0; i < 5; ++i) {
            const auto [id, token] = http.newCart();
            QVERIFY(!id.isEmpty());
            cart = {id, token};
        }
        QCOMPARE(http.holdPlaces(cart.id, cart.token, QStringLiteral("open-air"), 10).status, 201);
        QCOMPARE(http.holdPlaces(cart.id, cart.token, QStringLiteral("open-air"), 10).status, 201);
    }

    void newCartsPerMinuteAreLimited()
    {
        QVERIFY(startServer());
        const quint16 port = m_server->server().port();
        for (int i = 0; i < 10; ++i)
            QCOMPARE(newCartFrom(port, "192.0.2.10").second.status, 201);
        const RawHttpClient::Response refused = newCartFrom(port, "192.0.2.10").second;
        QCOMPARE(refused.status, 429);
        const QJsonObject body = QJsonDocument::fromJson(refused.body).object();
        QCOMPARE(body.value(u"error").toString(), QStringLiteral("rate_limited"));
        // Ten a minute: one comes back every six seconds.
        QCOMPARE(body.value(u"retryAfter").toInt(), 6);
        QCOMPARE(refused.header("retry-after"), QByteArray("6"));
        // Another client is not held back, nor is the counter.
        QCOMPARE(newCartFrom(port, "192.0.2.20").second.status, 201);
        QCOMPARE(newCartFrom(port, "192.0.2.10", m_server->staffToken()).second.status, 201);
        // The server's clock, not a sleep: six seconds on, one more.
        m_server->clock().advance(6 * 1000);
        QCOMPARE(newCartFrom(port, "192.0.2.10").second.status, 201);
        QCOMPARE(newCartFrom(port, "192.0.2.10").second.status, 429);
    }

    void capCountsTheHoldsOfEveryServer()
    {
        if (!m_databases.postgres())
            QSKIP("several servers share a database on PostgreSQL only");
        QVERIFY(startServer());
        m_second = std::make_unique<TestServer>(m_server->database());
        configure(*m_second);
        m_second->options().demo = false;
        QVERIFY2(m_second->start(), qPrintable(m_second->error()));
        HttpClient http(m_server->httpUrl());
        HttpClient otherHttp(m_second->httpUrl());
        const Cart here = cartFrom(m_server->server().port(), "192.0.2.10");
        const Cart there = cartFrom(m_second->server().port(), "192.0.2.10");
        QCOMPARE(http.holdPlaces(here.id, here.token, QStringLiteral("open-air"), 10).status, 201);
        const auto refused
            = otherHttp.holdPlaces(there.id, there.token, QStringLiteral("open-air"), 3);
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.json().value(u"held").toInt(), 10);
    }

private:
    /// The cap and the cart limit as a server on the network has them, with
    /// loopback as the reverse proxy that names each client.
    static void configure(TestServer &server)
    {
        server.options().clientHoldLimit = Cap;
        server.options().cartsPerMinute = 10;
        server.options().trustedProxies = {QHostAddress(QHostAddress::LocalHost)};
    }

    bool startServer()
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        configure(*m_server);
        if (!m_server->start()) {
            qWarning("%s", qPrintable(m_server->error()));
            return false;
        }
        return true;
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestServer> m_second;
};

QTEST_GUILESS_MAIN(TestClientCaps)
#include "tst_clientcaps.moc"
