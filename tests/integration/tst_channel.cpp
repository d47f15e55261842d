// The whole server over loopback: real HTTP, real WebSockets, real SQLite.
#include "ChannelClient.h"
#include "HoldExpiry.h"
#include "HttpClient.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QtTest>
#include <zlib.h>

using namespace Marquee;
using namespace Marquee::Test;
using Type = Protocol::ChannelMessage::Type;

namespace {

/// What a gzip body unpacks to (zlib, as a browser would).
QByteArray gunzip(const QByteArray &packed)
{
    z_stream stream{};
    if (inflateInit2(&stream, 15 + 16) != Z_OK)
        return {};
    QByteArray out;
    QByteArray chunk(64 * 1024, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(packed.constData()));
    stream.avail_in = uInt(packed.size());
    int result = Z_OK;
    while (result == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef *>(chunk.data());
        stream.avail_out = uInt(chunk.size());
        result = inflate(&stream, Z_NO_FLUSH);
        out.append(chunk.constData(), chunk.size() - qsizetype(stream.avail_out));
    }
    inflateEnd(&stream);
    return result == Z_STREAM_END ? out : QByteArray();
}

} // namespace

class TestChannel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void init()
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
    }

    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void holdReachesEverySubscriberAndConflictChangesNothing()
    {
        ChannelClient first(m_server->channelUrl(QStringLiteral("breakfast-ii")));
        ChannelClient second(m_server->channelUrl(QStringLiteral("breakfast-ii")));
        QTRY_COMPARE(first.messages().size(), 1);
        QTRY_COMPARE(second.messages().size(), 1);
        const auto snapshot = first.messages().first();
        QCOMPARE(snapshot.type, Type::Snapshot);
        QCOMPARE(snapshot.seats.size(), 160);
        QCOMPARE(snapshot.seats.value(QStringLiteral("A5")), SeatState::Available);
        QCOMPARE(snapshot.seats.value(QStringLiteral("A1")), SeatState::Blocked);

        const auto [cart, token] = m_http->newCart();
        QVERIFY(!token.isEmpty());
        auto hold = m_http->post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart),
            QJsonObject{{QStringLiteral("event"), QStringLiteral("breakfast-ii")},
                {QStringLiteral("seats"), QJsonArray{QStringLiteral("A5"), QStringLiteral("A6")}}},
            token);
        QCOMPARE(hold.status, 201);
        QCOMPARE(hold.json().value(QLatin1String("total")).toInt(), 9000);

        for (ChannelClient *client : {&first, &second}) {
            QTRY_COMPARE(client->messages().size(), 2);
            const auto update = client->messages().at(1);
            QCOMPARE(update.type, Type::Seats);
            QCOMPARE(update.version, snapshot.version + 1);
            QCOMPARE(update.seats.value(QStringLiteral("A5")), SeatState::Held);
            QCOMPARE(update.seats.value(QStringLiteral("A6")), SeatState::Held);
        }

        // Another customer races for A6: refused, nothing held, nothing sent.
        const auto [otherCart, otherToken] = m_http->newCart();
        const auto conflict = m_http->post(QStringLiteral("/api/v1/carts/%1/holds").arg(otherCart),
            QJsonObject{{QStringLiteral("event"), QStringLiteral("breakfast-ii")},
                {QStringLiteral("seats"), QJsonArray{QStringLiteral("A7"), QStringLiteral("A6")}}},
            otherToken);
        QCOMPARE(conflict.status, 409);
        QCOMPARE(conflict.json().value(QLatin1String("error")).toString(),
            QStringLiteral("unavailable"));
        QCOMPARE(conflict.json().value(QLatin1String("seats")).toArray(),
            QJsonArray{QStringLiteral("A6")});

        const auto availability = Protocol::decodeChannelMessage(
            m_http->get(QStringLiteral("/api/v1/events/breakfast-ii/availability")).body);
        QVERIFY(availability);
        QCOMPARE(availability->version, snapshot.version + 1);
        QCOMPARE(availability->seats.value(QStringLiteral("A7")), SeatState::Available);

        // The next change is the very next version: the 409 announced nothing.
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/carts/%1/holds").arg(otherCart),
                         QJsonObject{{QStringLiteral("event"), QStringLiteral("breakfast-ii")},
                             {QStringLiteral("seats"), QJsonArray{QStringLiteral("A7")}}},
                         otherToken)
                     .status,
            201);
        QTRY_COMPARE(first.messages().size(), 3);
        QCOMPARE(first.messages().at(2).version, snapshot.version + 2);
        QCOMPARE(first.messages().at(2).seats.keys(), QList<QString>{QStringLiteral("A7")});
        QCOMPARE(first.undecodable(), 0);
    }

    void generalAdmissionCountsAndSale()
    {
        ChannelClient watcher(m_server->channelUrl(QStringLiteral("open-air")));
        QTRY_COMPARE(watcher.messages().size(), 1);
        QCOMPARE(watcher.messages().first().available, 500);

        const auto [cart, token] = m_http->newCart();
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart),
                         QByteArray("{\"event\":\"open-air\",\"quantity\":4}"), token)
                     .status,
            201);
        QTRY_COMPARE(watcher.messages().size(), 2);
        QCOMPARE(watcher.messages().at(1).type, Type::Availability);
        QCOMPARE(watcher.messages().at(1).available, 496);

        // Selling needs staff; a cart token is not enough.
        QCOMPARE(m_http->sellCash(cart, token).status, 401);
        const auto sold = m_http->sellCash(cart, m_server->staffToken());
        QCOMPARE(sold.status, 201);
        QCOMPARE(sold.json().value(QLatin1String("total")).toInt(), 4 * 1900);
        QCOMPARE(sold.json().value(QLatin1String("tickets")).toArray().size(), 4);
        QTRY_COMPARE(watcher.messages().size(), 3);
        QCOMPARE(watcher.messages().at(2).available, 496); // still taken, now sold
        QCOMPARE(
            m_http->sellCash(cart, m_server->staffToken()).status, 409); // a new sale: nothing left
    }

    void releaseAndExpiryAnnounce()
    {
        ChannelClient watcher(m_server->channelUrl(QStringLiteral("breakfast-ii")));
        QTRY_COMPARE(watcher.messages().size(), 1);
        const auto [cart, token] = m_http->newCart();
        const auto first = m_http->post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart),
            QByteArray("{\"event\":\"breakfast-ii\",\"seats\":[\"C1\"]}"), token);
        const auto second = m_http->post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart),
            QByteArray("{\"event\":\"breakfast-ii\",\"seats\":[\"C2\"]}"), token);
        QCOMPARE(second.status, 201);
        QCOMPARE(m_http
                     ->del(QStringLiteral("/api/v1/carts/%1/holds/%2")
                               .arg(cart, first.json().value(QLatin1String("hold")).toString()),
                         token)
                     .status,
            204);
        QTRY_COMPARE(watcher.messages().size(), 4);
        QCOMPARE(watcher.messages().at(3).seats.value(QStringLiteral("C1")), SeatState::Available);

        // The clock passes the hold's expiry; the timer's work is triggered
        // directly instead of waiting for real time.
        m_server->clock().advance(901'000);
        m_server->server().expiry().releaseDue();
        QTRY_COMPARE(watcher.messages().size(), 5);
        QCOMPARE(watcher.messages().at(4).seats.value(QStringLiteral("C2")), SeatState::Available);
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/carts/%1").arg(cart), token)
                     .json()
                     .value(QLatin1String("holds"))
                     .toArray()
                     .size(),
            0);
    }

    void expiryTimerFiresByItself()
    {
        // A server whose holds last one second; the test's clock jumps past
        // the expiry at once, and the server's own timer does the rest.
        m_server = std::make_unique<TestServer>(m_databases.fresh(), 1);
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
        ChannelClient watcher(m_server->channelUrl(QStringLiteral("open-air")));
        QTRY_COMPARE(watcher.messages().size(), 1);

        const auto [cart, token] = m_http->newCart();
        const auto held = m_http->post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart),
            QByteArray("{\"event\":\"open-air\",\"quantity\":2}"), token);
        QCOMPARE(held.status, 201);
        QCOMPARE(isoUtc(m_server->server().expiry().nextRun()),
            held.json().value(QLatin1String("expiresAt")).toString());
        m_server->clock().advance(2000);
        QTRY_COMPARE(watcher.messages().size(), 3);
        QCOMPARE(watcher.messages().at(1).available, 498);
        QCOMPARE(watcher.messages().at(2).available, 500);
        QTRY_VERIFY(!m_server->server().expiry().nextRun().isValid()); // nothing left to wait for
    }

    void startReleasesWhatExpiredWhileDown()
    {
        const DatabaseConfig database = m_server->database();
        const auto [cart, token] = m_http->newCart();
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart),
                         QByteArray("{\"event\":\"breakfast-ii\",\"seats\":[\"D9\"]}"), token)
                     .status,
            201);
        m_http.reset();
        m_server.reset(); // the server goes down with the hold live

        m_server = std::make_unique<TestServer>(database);
        m_server->clock().advance(901'000); // and comes back after it expired
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
        QTRY_COMPARE(
            Protocol::decodeChannelMessage(
                m_http->get(QStringLiteral("/api/v1/events/breakfast-ii/availability")).body)
                ->seats.value(QStringLiteral("D9")),
            SeatState::Available);
    }

    void resyncGivesAFreshSnapshot()
    {
        ChannelClient client(m_server->channelUrl(QStringLiteral("open-air")));
        QTRY_COMPARE(client.messages().size(), 1);
        client.socket().sendTextMessage(QStringLiteral("{\"type\":\"resync\"}"));
        QTRY_COMPARE(client.messages().size(), 2);
        QCOMPARE(client.messages().at(1).type, Type::Snapshot);
        // Garbage is ignored, not answered, and the socket stays open.
        client.socket().sendTextMessage(QStringLiteral("{not json"));
        client.socket().sendTextMessage(QStringLiteral("{\"type\":\"resync\"}"));
        QTRY_COMPARE(client.messages().size(), 3);
        QVERIFY(!client.closed());
    }

    void chattyClientIsDropped()
    {
        ChannelClient chatty(m_server->channelUrl(QStringLiteral("open-air")));
        ChannelClient quiet(m_server->channelUrl(QStringLiteral("open-air")));
        QTRY_COMPARE(chatty.messages().size(), 1);
        QTRY_COMPARE(quiet.messages().size(), 1);
        for (int i = 0; i < 100; ++i)
            chatty.socket().sendTextMessage(QStringLiteral("{\"type\":\"resync\"}"));
        QTRY_VERIFY(chatty.closed());
        QCOMPARE(chatty.closeCode(), 4429);
        QVERIFY(chatty.messages().size() <= 1 + 60); // answered up to the limit, then cut
        // Everyone else keeps being served.
        const auto [cart, token] = m_http->newCart();
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart),
                         QByteArray("{\"event\":\"open-air\",\"quantity\":1}"), token)
                     .status,
            201);
        QTRY_COMPARE(quiet.messages().size(), 2);
        QVERIFY(!quiet.closed());
    }

    void refusesUnknownEventsAndForeignOrigins()
    {
        ChannelClient unknown(m_server->channelUrl(QStringLiteral("no-such-event")));
        QTRY_VERIFY(unknown.closed());
        QCOMPARE(unknown.closeCode(), 4404);
        QVERIFY(unknown.messages().isEmpty());

        ChannelClient foreign(m_server->channelUrl(QStringLiteral("open-air")),
            QStringLiteral("http://evil.example"));
        QTRY_VERIFY(foreign.closed());
        QVERIFY(foreign.messages().isEmpty());

        const QString own = QStringLiteral("http://127.0.0.1:%1").arg(m_server->server().port());
        ChannelClient same(m_server->channelUrl(QStringLiteral("open-air")), own);
        QTRY_COMPARE(same.messages().size(), 1);
    }

    void badInputGetsClearErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("withToken");
        QTest::addColumn<int>("status");
        QTest::newRow("malformed json") << QByteArray("{\"event\":") << true << 400;
        QTest::newRow("negative quantity")
            << QByteArray("{\"event\":\"open-air\",\"quantity\":-2}") << true << 400;
        QTest::newRow("absurd quantity")
            << QByteArray("{\"event\":\"open-air\",\"quantity\":100000}") << true << 400;
        QTest::newRow("unknown seat")
            << QByteArray("{\"event\":\"breakfast-ii\",\"seats\":[\"Z99\"]}") << true << 400;
        QTest::newRow("unknown event")
            << QByteArray("{\"event\":\"nope\",\"quantity\":1}") << true << 404;
        QTest::newRow("no token") << QByteArray("{\"event\":\"open-air\",\"quantity\":1}") << false
                                  << 401;
    }

    void badInputGetsClearErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, withToken);
        QFETCH(int, status);
        const auto [cart, token] = m_http->newCart();
        const auto response = m_http->post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart), body,
            withToken ? token : QString());
        QCOMPARE(response.status, status);
        QVERIFY(!response.json().value(QLatin1String("error")).toString().isEmpty());
        QVERIFY(!response.json().value(QLatin1String("message")).toString().isEmpty());
        // Nothing was taken.
        const auto ga = Protocol::decodeChannelMessage(
            m_http->get(QStringLiteral("/api/v1/events/open-air/availability")).body);
        QCOMPARE(ga->available, 500);
    }

    void hugeBodyIsRefusedAndServerKeepsServing()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->server().port());
        QVERIFY(socket.waitForConnected(5000));
        const QByteArray chunk(64 * 1024, 'x');
        socket.write("POST /api/v1/carts HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n");
        QByteArray answer;
        connect(&socket, &QTcpSocket::readyRead, &socket, [&] { answer += socket.readAll(); });
        for (int i = 0; i < 4; ++i)
            socket.write(chunk);
        QTRY_VERIFY(answer.startsWith("HTTP/1.1 413"));
        QTRY_VERIFY(socket.state() != QAbstractSocket::ConnectedState);
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/events")).status, 200);
    }

    void floodOfWritesGets429()
    {
        // Loopback is trusted in production (the demo, a local proxy); here
        // it stands for a client on the network.
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().writesPerSecond = 5;
        m_server->options().trustLoopback = false;
        // New carts have a per-minute limit of their own (tst_clientcaps).
        m_server->options().cartsPerMinute = 0;
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
        int created = 0;
        HttpClient::Response refused;
        for (int i = 0; i < 40 && refused.status == 0; ++i) {
            const auto response = m_http->post(QStringLiteral("/api/v1/carts"), QByteArray());
            if (response.status == 201)
                ++created;
            else
                refused = response;
        }
        QCOMPARE(refused.status, 429);
        QVERIFY(created >= 15 && created < 40); // the burst, and not the flood
        QCOMPARE(refused.json().value(QLatin1String("error")).toString(),
            QStringLiteral("rate_limited"));
        QVERIFY(refused.json().value(QLatin1String("retryAfter")).toInt() >= 1);
        // Reading is not limited, and nothing else stopped working.
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/events")).status, 200);
    }

    void foreignHostNamesAreRefused()
    {
        // DNS rebinding: a hostile page whose name now points at this server
        // sends that name as Host. Names must be allowed; addresses always are.
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().allowedOrigins = {QStringLiteral("https://tickets.example.org")};
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        QNetworkAccessManager network;
        const auto statusFor = [&](const QByteArray &host, bool browser = true) {
            QNetworkRequest request(
                m_server->httpUrl().resolved(QUrl(QStringLiteral("api/v1/events"))));
            request.setRawHeader("Host", host);
            if (browser)
                request.setRawHeader("Origin", "http://" + host);
            QNetworkReply *reply = network.get(request);
            QSignalSpy finished(reply, &QNetworkReply::finished);
            finished.wait(10000);
            reply->deleteLater();
            return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        };
        const QByteArray port = QByteArray::number(m_server->server().port());
        QCOMPARE(statusFor("attacker.example:" + port), 421);
        QCOMPARE(statusFor("127.0.0.1:" + port), 200);
        QCOMPARE(statusFor("localhost:" + port), 200);
        QCOMPARE(statusFor("tickets.example.org"), 200);
        // A native client (the counter app) may call the server by any name.
        QCOMPARE(statusFor("boxoffice-pc:" + port, false), 200);
    }

    void unknownPathsAndMethods()
    {
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/nothing")).status, 404);
        QCOMPARE(m_http->del(QStringLiteral("/api/v1/events")).status, 405);
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/events/open-air/plan.svg")).status, 404);
        const auto plan = m_http->get(QStringLiteral("/api/v1/events/breakfast-ii/plan.svg"));
        QCOMPARE(plan.status, 200);
        QVERIFY(plan.body.contains("id=\"J16\""));
        // An unchanged plan costs a 304; a client that takes gzip gets it
        // gzipped, and unpacked it is the same plan.
        const QByteArray etag = plan.header("ETag");
        QVERIFY2(etag.startsWith('"') && etag.endsWith('"') && etag.size() > 10, etag.constData());
        const auto unchanged = m_http->get(QStringLiteral("/api/v1/events/breakfast-ii/plan.svg"),
            HttpClient::Headers{{"If-None-Match", etag}});
        QCOMPARE(unchanged.status, 304);
        QVERIFY(unchanged.body.isEmpty());
        QCOMPARE(m_http
                     ->get(QStringLiteral("/api/v1/events/breakfast-ii/plan.svg"),
                         HttpClient::Headers{{"If-None-Match", "\"other\", W/" + etag}})
                     .status,
            304);
        QCOMPARE(m_http
                     ->get(QStringLiteral("/api/v1/events/breakfast-ii/plan.svg"),
                         HttpClient::Headers{{"If-None-Match", "\"other\""}})
                     .status,
            200);
        const auto packed = m_http->get(QStringLiteral("/api/v1/events/breakfast-ii/plan.svg"),
            HttpClient::Headers{{"Accept-Encoding", "gzip"}});
        QCOMPARE(packed.status, 200);
        QCOMPARE(packed.header("Content-Encoding"), QByteArrayLiteral("gzip"));
        QCOMPARE(packed.header("ETag"), etag);
        QVERIFY(packed.body.size() < plan.body.size() / 3);
        QCOMPARE(gunzip(packed.body), plan.body);
        QCOMPARE(m_http->get(QStringLiteral("/")).status, 200);
    }

private:
    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
};

QTEST_GUILESS_MAIN(TestChannel)
#include "tst_channel.moc"
