// The per-address limits as a client on the network meets them. Loopback is
// exempt in production, so every test here starts the server the way
// --no-loopback-exemption does; real sockets over loopback.
#include "ChannelClient.h"
#include "HttpClient.h"
#include "RawHttpClient.h"
#include "ServerOptions.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QDir>
#include <QtTest>
#include <vector>

using namespace Marquee;
using namespace Marquee::Test;

namespace {

/// The options the command line gives, for the fields these tests use.
ServerOptions parsed(const QStringList &arguments)
{
    QString error;
    const auto options
        = ServerOptions::parse(QStringList{QStringLiteral("marquee-server")} + arguments, &error);
    if (!options)
        qFatal("bad test arguments: %s", qPrintable(error));
    return *options;
}

/// GET /api/v1/events on a connection of its own; 0 if it was refused.
int statusOnNewConnection(quint16 port)
{
    RawHttpClient client(port);
    client.send(RawHttpClient::get(QStringLiteral("/api/v1/events"), port));
    return client.waitForResponses(1, 2000) ? client.responses().first().status : 0;
}

int openFileDescriptors()
{
    return int(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot).size());
}

} // namespace

class TestLimits : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void cleanup() { m_server.reset(); }

    void connectionCapRefusesThe65th()
    {
        QVERIFY(startServer({QStringLiteral("--no-loopback-exemption")}));
        const quint16 port = m_server->server().port();
        std::vector<std::unique_ptr<RawHttpClient>> open;
        for (int i = 0; i < 64; ++i)
            open.push_back(std::make_unique<RawHttpClient>(port));
        for (const auto &client : open)
            QVERIFY(client->waitForConnected());
        RawHttpClient refused(port);
        QTRY_COMPARE_WITH_TIMEOUT(
            refused.socket().state(), QAbstractSocket::UnconnectedState, 5000);
        // The 64 are still served.
        for (const auto &client : open)
            QVERIFY(client->isConnected());
        open.front()->send(RawHttpClient::get(QStringLiteral("/api/v1/events"), port));
        QVERIFY(open.front()->waitForResponses(1));
        QCOMPARE(open.front()->responses().first().status, 200);
        // A closed connection gives its place back, once the server has
        // seen it close.
        open.back().reset();
        QTRY_COMPARE(statusOnNewConnection(port), 200);
    }

    void loopbackIsExemptByDefault()
    {
        QVERIFY(startServer({}));
        const quint16 port = m_server->server().port();
        QVERIFY(seventyOpenAndTheLastServed(port));
    }

    void closedChannelsGiveTheirConnectionsBack()
    {
        // Every channel ever opened used to keep its address's slot: after 64
        // a client was locked out for good.
        // 200 channel opens are as many as a burst of GETs; the read limit
        // is not what this test is about.
        QVERIFY(startServer({QStringLiteral("--no-loopback-exemption"),
            QStringLiteral("--read-limit"), QStringLiteral("0")}));
        const int descriptorsBefore = openFileDescriptors();
        for (int i = 0; i < 200; ++i) {
            // Half close from the client, half are closed by the server.
            if (i % 2) {
                ChannelClient unknown(m_server->channelUrl(QStringLiteral("no-such-event")));
                QTRY_VERIFY2(unknown.closed(), qPrintable(QString::number(i)));
                QCOMPARE(unknown.closeCode(), 4404);
                continue;
            }
            ChannelClient channel(m_server->channelUrl(QStringLiteral("open-air")));
            QTRY_VERIFY2(channel.messages().size() == 1, qPrintable(QString::number(i)));
            channel.socket().close();
            QTRY_VERIFY(channel.closed());
        }
        HttpClient http(m_server->httpUrl());
        QCOMPARE(http.get(QStringLiteral("/api/v1/events")).status, 200);
        // The server's ends of the 200 connections are gone too, not just
        // counted as gone (a few descriptors of the HTTP client remain).
        QTRY_VERIFY2(openFileDescriptors() < descriptorsBefore + 10,
            qPrintable(QStringLiteral("%1 descriptors, %2 before")
                           .arg(openFileDescriptors())
                           .arg(descriptorsBefore)));
    }

    void writeLimitAppliesToLoopbackWithoutExemption()
    {
        QVERIFY(startServer({QStringLiteral("--no-loopback-exemption"),
            QStringLiteral("--write-limit"), QStringLiteral("2")}));
        HttpClient http(m_server->httpUrl());
        int status = 0;
        for (int i = 0; i < 20 && status != 429; ++i)
            status = http.post(QStringLiteral("/api/v1/carts"), QByteArray()).status;
        QCOMPARE(status, 429);
    }

    void trustedProxyForwardsTheClientAddress()
    {
        QVERIFY(startServer({QStringLiteral("--trusted-proxy"), QStringLiteral("127.0.0.1"),
            QStringLiteral("--write-limit"), QStringLiteral("2")}));
        const quint16 port = m_server->server().port();
        const auto postFrom = [port](const QByteArray &forwardedFor) {
            RawHttpClient client(port);
            client.send("POST /api/v1/carts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                        "X-Forwarded-For: "
                + forwardedFor + "\r\n\r\n");
            return client.waitForResponses(1) ? client.responses().first().status : 0;
        };
        // The burst is 3 * 2 = 6 writes per client.
        int status = 0;
        int accepted = 0;
        for (int i = 0; i < 20 && status != 429; ++i) {
            // The last entry is what the proxy saw; the first is the client's claim.
            status = postFrom("10.9.9.9, 192.0.2.10");
            accepted += status == 201;
        }
        QCOMPARE(status, 429);
        QCOMPARE(accepted, 6);
        QCOMPARE(postFrom("192.0.2.20"), 201); // another client, another bucket
        QCOMPARE(postFrom("192.0.2.10"), 429);
        // The proxy's own connections are not capped per address.
        QVERIFY(seventyOpenAndTheLastServed(port));
    }

    void readsHaveABucketOfTheirOwn()
    {
        // 1 GET per second in bursts of 4. The bucket refills with real
        // time; the answers below take milliseconds, so at most one more
        // token comes back while they run.
        QVERIFY(startServer({QStringLiteral("--no-loopback-exemption"),
            QStringLiteral("--read-limit"), QStringLiteral("1")}));
        const quint16 port = m_server->server().port();
        RawHttpClient client(port);
        const QStringList paths{QStringLiteral("/api/v1/events"),
            QStringLiteral("/api/v1/events/open-air"),
            QStringLiteral("/api/v1/events/breakfast-ii/plan.svg"),
            QStringLiteral("/api/v1/events/open-air/availability"), QStringLiteral("/"),
            QStringLiteral("/app.js"), QStringLiteral("/api/v1/events"),
            QStringLiteral("/api/v1/events")};
        for (const QString &path : paths)
            client.send(RawHttpClient::get(path, port));
        QVERIFY(client.waitForResponses(int(paths.size())));
        int served = 0;
        for (const auto &response : client.responses())
            served += response.status == 200;
        QVERIFY2(served >= 4 && served <= 5, qPrintable(QString::number(served)));
        for (int i = 0; i < 4; ++i)
            QCOMPARE(client.responses().at(i).status, 200);
        // Static files count too: the page's files were refused here.
        const auto &refused = client.responses().last();
        QCOMPARE(refused.status, 429);
        QCOMPARE(QJsonDocument::fromJson(refused.body).object().value(u"error").toString(),
            QStringLiteral("rate_limited"));
        QVERIFY(QJsonDocument::fromJson(refused.body).object().value(u"retryAfter").toInt() >= 1);
        QVERIFY(refused.header("retry-after").toInt() >= 1);
        // So do channel opens, refused before any handshake.
        RawHttpClient upgrade(port);
        upgrade.send(RawHttpClient::get(QStringLiteral("/events/open-air/messages"), port,
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"));
        QVERIFY(upgrade.waitForResponses(1));
        QCOMPARE(upgrade.responses().first().status, 429);
        // Writes have their own bucket, untouched by the reads.
        HttpClient http(m_server->httpUrl());
        QCOMPARE(http.post(QStringLiteral("/api/v1/carts"), QByteArray()).status, 201);
    }

    void readLimitSparesLoopbackByDefault()
    {
        QVERIFY(startServer({QStringLiteral("--read-limit"), QStringLiteral("1")}));
        const quint16 port = m_server->server().port();
        RawHttpClient client(port);
        for (int i = 0; i < 20; ++i)
            client.send(RawHttpClient::get(QStringLiteral("/api/v1/events"), port));
        QVERIFY(client.waitForResponses(20));
        for (const auto &response : client.responses())
            QCOMPARE(response.status, 200);
    }

    void untrustedPeersCannotForgeTheirAddress()
    {
        QVERIFY(startServer({QStringLiteral("--no-loopback-exemption"),
            QStringLiteral("--write-limit"), QStringLiteral("2")}));
        const quint16 port = m_server->server().port();
        int status = 0;
        for (int i = 0; i < 20 && status != 429; ++i) {
            RawHttpClient client(port);
            client.send("POST /api/v1/carts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                        "X-Forwarded-For: 192.0.2."
                + QByteArray::number(i) + "\r\n\r\n");
            QVERIFY(client.waitForResponses(1));
            status = client.responses().first().status;
        }
        QCOMPARE(status, 429);
    }

private:
    /// Opens 70 connections at once (more than the per-address cap) and asks
    /// on the last one: true when it is answered 200.
    static bool seventyOpenAndTheLastServed(quint16 port)
    {
        std::vector<std::unique_ptr<RawHttpClient>> open;
        for (int i = 0; i < 70; ++i)
            open.push_back(std::make_unique<RawHttpClient>(port));
        open.back()->send(RawHttpClient::get(QStringLiteral("/api/v1/events"), port));
        return open.back()->waitForResponses(1) && open.back()->responses().first().status == 200;
    }

    bool startServer(const QStringList &arguments)
    {
        const ServerOptions options = parsed(arguments);
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().trustLoopback = options.trustLoopback;
        m_server->options().trustedProxies = options.trustedProxies;
        m_server->options().writesPerSecond = options.writesPerSecond;
        m_server->options().readsPerSecond = options.readsPerSecond;
        if (!m_server->start()) {
            qWarning("%s", qPrintable(m_server->error()));
            return false;
        }
        return true;
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
};

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
