// The operators' routes over real loopback HTTP: GET /healthz for load
// balancers and service managers (the database answers, it is stopped, the
// storage thread is stuck, its queue is full) and GET /metrics for
// Prometheus (who may read it, that it parses, that it counts).
#include "ChannelClient.h"
#include "HoldExpiry.h"
#include "HttpClient.h"
#include "MetricsText.h"
#include "PrometheusText.h"
#include "RawHttpClient.h"
#include "ServerOptions.h"
#include "Storage.h"
#include "StorageBlock.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

namespace {

/// GET \a path as if a trusted proxy on loopback forwarded it for \a client.
RawHttpClient::Response getFor(quint16 port, const QString &path, const QByteArray &client)
{
    RawHttpClient raw(port);
    raw.send(RawHttpClient::get(path, port, "X-Forwarded-For: " + client + "\r\n"));
    return raw.waitForResponses(1) ? raw.responses().first() : RawHttpClient::Response{};
}

QString reason(const HttpClient::Response &response)
{
    return response.json().value(QLatin1String("reason")).toString();
}

} // namespace

class TestOperators : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void cleanup() { m_server.reset(); }

    void healthzIsOkWhenTheDatabaseAnswers()
    {
        QVERIFY(startServer({}));
        HttpClient http(m_server->httpUrl());
        const auto health = http.get(QStringLiteral("/healthz"));
        QCOMPARE(health.status, 200);
        QCOMPARE(health.body, QByteArray(R"({"status":"ok"})"));
        // Open to everyone: no token, and any client address.
        QVERIFY(startServer({QStringLiteral("--trusted-proxy"), QStringLiteral("127.0.0.1")}));
        const auto foreign
            = getFor(m_server->server().port(), QStringLiteral("/healthz"), "198.51.100.1");
        QCOMPARE(foreign.status, 200);
    }

    void healthzIs503WhileTheDatabaseIsStopped()
    {
        if (!m_databases.postgres())
            QSKIP("an embedded SQLite database cannot be stopped; the _pg run stops PostgreSQL");
        QVERIFY(startServer({}));
        HttpClient http(m_server->httpUrl());
        QCOMPARE(http.get(QStringLiteral("/healthz")).status, 200);
        PostgresCluster &cluster = *m_databases.cluster();
        QVERIFY2(cluster.stop(), qPrintable(cluster.error()));
        HttpClient::Response down;
        QTRY_COMPARE_WITH_TIMEOUT((down = http.get(QStringLiteral("/healthz"))).status, 503, 10000);
        QCOMPARE(
            down.json().value(QLatin1String("status")).toString(), QStringLiteral("unavailable"));
        QCOMPARE(reason(down), QStringLiteral("database"));
        QVERIFY2(cluster.resume(), qPrintable(cluster.error()));
        // The storage thread reconnects by itself (backoff up to 5 s).
        QTRY_COMPARE_WITH_TIMEOUT(http.get(QStringLiteral("/healthz")).status, 200, 20000);
    }

    void healthzDoesNotWaitForAStuckStorageThread()
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().healthTimeoutMs = 300;
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        StorageBlock block(m_server->server().storage());
        QVERIFY(block.waitUntilBlocked());
        HttpClient http(m_server->httpUrl());
        QElapsedTimer took;
        took.start();
        const auto stuck = http.get(QStringLiteral("/healthz"));
        QCOMPARE(stuck.status, 503);
        QCOMPARE(reason(stuck), QStringLiteral("timeout"));
        QVERIFY2(took.elapsed() < 3000, qPrintable(QString::number(took.elapsed())));
        // Asking again does not queue another question behind the first.
        QCOMPARE(http.get(QStringLiteral("/healthz")).status, 503);
        QCOMPARE(m_server->server().storage().waiting(), 1);
        block.release();
        QTRY_COMPARE(http.get(QStringLiteral("/healthz")).status, 200);
    }

    void healthzSaysBusyWhenTheStorageQueueIsFull()
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().storageQueueLimit = 2;
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        Storage &storage = m_server->server().storage();
        StorageBlock block(storage);
        QVERIFY(block.waitUntilBlocked());
        for (int i = 0; i < 2; ++i)
            storage.run<bool>(
                [](StorageSession &) { return true; }, [](std::optional<bool>, const QString &) {});
        HttpClient http(m_server->httpUrl());
        const auto busy = http.get(QStringLiteral("/healthz"));
        QCOMPARE(busy.status, 503);
        QCOMPARE(reason(busy), QStringLiteral("busy"));
        QCOMPARE(storage.waiting(), 2); // it added no job of its own
        block.release();
        QTRY_COMPARE(http.get(QStringLiteral("/healthz")).status, 200);
    }

    void metricsAreServedToLoopbackAndParse()
    {
        QVERIFY(startServer({}));
        const quint16 port = m_server->server().port();
        RawHttpClient raw(port);
        raw.send(RawHttpClient::get(QStringLiteral("/metrics"), port));
        QVERIFY(raw.waitForResponses(1));
        const auto answer = raw.responses().first();
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.header("content-type"), MetricsText::contentType());
        QString error;
        const auto parsed = PrometheusText::parse(answer.body, &error);
        QVERIFY2(parsed, qPrintable(error));
        const QHash<QString, QString> expected{
            {QStringLiteral("process_start_time_seconds"), QStringLiteral("gauge")},
            {QStringLiteral("marquee_uptime_seconds"), QStringLiteral("gauge")},
            {QStringLiteral("marquee_http_requests_total"), QStringLiteral("counter")},
            {QStringLiteral("marquee_http_connections"), QStringLiteral("gauge")},
            {QStringLiteral("marquee_channel_subscribers"), QStringLiteral("gauge")},
            {QStringLiteral("marquee_channel_event_subscribers"), QStringLiteral("gauge")},
            {QStringLiteral("marquee_storage_jobs_waiting"), QStringLiteral("gauge")},
            {QStringLiteral("marquee_holds_created_total"), QStringLiteral("counter")},
            {QStringLiteral("marquee_holds_released_total"), QStringLiteral("counter")},
            {QStringLiteral("marquee_http_request_duration_seconds"), QStringLiteral("histogram")},
            {QStringLiteral("marquee_storage_commit_duration_seconds"),
                QStringLiteral("histogram")},
            {QStringLiteral("marquee_channel_fanout_duration_seconds"),
                QStringLiteral("histogram")},
        };
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            QVERIFY2(parsed->type(it.key()) == it.value(), qPrintable(it.key()));
        // This request's own connection is open while it is answered.
        QVERIFY(parsed->value(QStringLiteral("marquee_http_connections")).value_or(0) >= 1);
        QVERIFY(parsed->value(QStringLiteral("process_start_time_seconds")).value_or(0)
            >= double(m_server->clock().now().toSecsSinceEpoch() - 5));
    }

    void metricsAreRefusedToOtherAddresses()
    {
        // The proxy on loopback forwards for clients elsewhere: they are
        // judged by the address the proxy saw.
        QVERIFY(startServer({QStringLiteral("--trusted-proxy"), QStringLiteral("127.0.0.1"),
            QStringLiteral("--metrics-allow"), QStringLiteral("192.0.2.0/24,2001:db8::7"),
            QStringLiteral("--metrics-allow"), QStringLiteral("203.0.113.5")}));
        const quint16 port = m_server->server().port();
        const auto refused = getFor(port, QStringLiteral("/metrics"), "198.51.100.1");
        QCOMPARE(refused.status, 403);
        QCOMPARE(QJsonDocument::fromJson(refused.body).object().value(u"error").toString(),
            QStringLiteral("forbidden"));
        QVERIFY(!refused.body.contains("marquee_"));
        QCOMPARE(getFor(port, QStringLiteral("/metrics"), "192.0.2.1").status, 200);
        QCOMPARE(getFor(port, QStringLiteral("/metrics"), "192.0.2.250").status, 200);
        QCOMPARE(getFor(port, QStringLiteral("/metrics"), "192.0.3.1").status, 403);
        QCOMPARE(getFor(port, QStringLiteral("/metrics"), "2001:db8::7").status, 200);
        QCOMPARE(getFor(port, QStringLiteral("/metrics"), "2001:db8::8").status, 403);
        QCOMPARE(getFor(port, QStringLiteral("/metrics"), "203.0.113.5").status, 200);
        // Without an allow-list only loopback reads them.
        QVERIFY(startServer({QStringLiteral("--trusted-proxy"), QStringLiteral("127.0.0.1")}));
        QCOMPARE(
            getFor(m_server->server().port(), QStringLiteral("/metrics"), "192.0.2.1").status, 403);
    }

    void loopbackReadsMetricsWithoutTheLoopbackExemption()
    {
        // --no-loopback-exemption is about the per-address limits, not
        // about who may read /metrics (API.md "Operators").
        QVERIFY(startServer({QStringLiteral("--no-loopback-exemption")}));
        HttpClient http(m_server->httpUrl());
        QCOMPARE(http.get(QStringLiteral("/metrics")).status, 200);
    }

    void metricsCountWhatHappens()
    {
        QVERIFY(startServer({}));
        HttpClient http(m_server->httpUrl());
        const auto before = scrape(http);
        QVERIFY(before);
        QCOMPARE(before->value(QStringLiteral("marquee_channel_subscribers")), 0.0);

        ChannelClient channel(m_server->channelUrl(QStringLiteral("breakfast-ii")));
        QTRY_COMPARE(channel.messages().size(), 1);
        const auto [cart, token] = http.newCart();
        const auto held
            = http.holdSeats(cart, token, QStringLiteral("breakfast-ii"), {QStringLiteral("D9")});
        QCOMPARE(held.status, 201);
        const QString hold = held.json().value(QLatin1String("hold")).toString();
        QCOMPARE(
            http.del(QStringLiteral("/api/v1/carts/%1/holds/%2").arg(cart, hold), token).status,
            204);
        QCOMPARE(
            http.holdSeats(cart, token, QStringLiteral("breakfast-ii"), {QStringLiteral("D10")})
                .status,
            201);
        QCOMPARE(http.get(QStringLiteral("/no/such/path")).status, 404);
        // A request refused by the framing check, before Qt's parser.
        RawHttpClient smuggler(m_server->server().port());
        smuggler.send("POST /api/v1/carts HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding:"
                      " chunked\r\n\r\n0\r\n\r\n");
        QVERIFY(smuggler.waitForResponses(1));
        QCOMPARE(smuggler.responses().first().status, 400);
        // D10 runs out. The channel's last change names D10 only once its
        // hold and then its release arrived; a change that does not name it
        // must not count as "available" (the fan-out is asynchronous).
        const auto lastD10 = [&] {
            return channel.messages().last().seats.value(QStringLiteral("D10"), SeatState::Blocked);
        };
        QTRY_COMPARE(lastD10(), SeatState::Held);
        m_server->clock().advance(901'000);
        m_server->server().expiry().releaseDue();
        QTRY_COMPARE(lastD10(), SeatState::Available);

        const auto after = scrape(http);
        QVERIFY(after);
        const auto grew = [&](const QString &name, const PrometheusText::Labels &labels = {}) {
            return after->value(name, labels).value_or(-1)
                - before->value(name, labels).value_or(0);
        };
        QCOMPARE(grew(QStringLiteral("marquee_holds_created_total")), 2.0);
        QCOMPARE(grew(QStringLiteral("marquee_holds_released_total"),
                     {{QStringLiteral("reason"), QStringLiteral("cart")}}),
            1.0);
        QCOMPARE(grew(QStringLiteral("marquee_holds_released_total"),
                     {{QStringLiteral("reason"), QStringLiteral("expired")}}),
            1.0);
        QCOMPARE(after->value(QStringLiteral("marquee_channel_subscribers")), 1.0);
        QCOMPARE(after->value(QStringLiteral("marquee_channel_event_subscribers"),
                     {{QStringLiteral("event"), QStringLiteral("breakfast-ii")}}),
            1.0);
        QCOMPARE(after->value(QStringLiteral("marquee_channel_event_subscribers"),
                     {{QStringLiteral("event"), QStringLiteral("open-air")}}),
            0.0);
        const auto answers = [&](const char *status) {
            return grew(QStringLiteral("marquee_http_requests_total"),
                {{QStringLiteral("status"), QString::fromLatin1(status)}});
        };
        QCOMPARE(answers("1xx"), 1.0); // the channel's upgrade
        // The first scrape, a cart, two holds and a release.
        QCOMPARE(answers("2xx"), 5.0);
        QCOMPARE(answers("4xx"), 2.0); // the 404 and the framing refusal
        QCOMPARE(answers("5xx"), 0.0);
        // Routed answers are timed; the framing refusal never reached a route.
        QCOMPARE(grew(QStringLiteral("marquee_http_request_duration_seconds_count")), 6.0);
        QCOMPARE(after->value(QStringLiteral("marquee_storage_jobs_waiting")), 0.0);
        // Two holds, a release and an expiry: four changes announced, each
        // timed once its frame reached the subscriber (reported afterwards).
        const auto fanOuts = [&] {
            const auto now = scrape(http);
            return now ? now->value(QStringLiteral("marquee_channel_fanout_duration_seconds_count"))
                             .value_or(-1)
                    - before->value(QStringLiteral("marquee_channel_fanout_duration_seconds_count"))
                          .value_or(0)
                       : -1.0;
        };
        QTRY_COMPARE(fanOuts(), 4.0);
    }

private:
    /// Starts a server on a fresh database with the limits and operator
    /// options \a arguments give (the rest as TestServer sets it).
    bool startServer(const QStringList &arguments)
    {
        QString error;
        const auto options = ServerOptions::parse(
            QStringList{QStringLiteral("marquee-server")} + arguments, &error);
        if (!options) {
            qWarning("bad test arguments: %s", qPrintable(error));
            return false;
        }
        m_server.reset();
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().trustLoopback = options->trustLoopback;
        m_server->options().trustedProxies = options->trustedProxies;
        m_server->options().metricsAllowed = options->metricsAllowed;
        if (!m_server->start()) {
            qWarning("%s", qPrintable(m_server->error()));
            return false;
        }
        return true;
    }

    std::optional<PrometheusText> scrape(HttpClient &http)
    {
        const auto answer = http.get(QStringLiteral("/metrics"));
        QString error;
        auto parsed = PrometheusText::parse(answer.body, &error);
        if (answer.status != 200 || !parsed)
            qWarning("/metrics: %d %s", answer.status, qPrintable(error));
        return parsed;
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
};

QTEST_GUILESS_MAIN(TestOperators)
#include "tst_operators.moc"
