// What a busy or stuck storage thread does to everyone else. The storage
// thread is held inside a job (StorageBlock) for as long as a test needs:
// page loads must still be answered, and requests that need the database
// must be turned away with 503 once the queue is full instead of piling up.
#include "ChannelHub.h"
#include "HttpClient.h"
#include "RawHttpClient.h"
#include "Sql.h"
#include "Storage.h"
#include "StorageBlock.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QtTest>
#include <vector>

using namespace Marquee;
using namespace Marquee::Test;

namespace {

QByteArray postCart(quint16 port)
{
    return "POST /api/v1/carts HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
        + "\r\nContent-Length: 0\r\n\r\n";
}

int answered(const std::vector<std::unique_ptr<RawHttpClient>> &clients)
{
    int count = 0;
    for (const auto &client : clients)
        count += int(client->responses().size());
    return count;
}

int withStatus(const std::vector<std::unique_ptr<RawHttpClient>> &clients, int status)
{
    int count = 0;
    for (const auto &client : clients) {
        for (const auto &response : client->responses())
            count += response.status == status;
    }
    return count;
}

} // namespace

class TestOverload : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void cleanup() { m_server.reset(); }

    void eventPagesAreAnsweredWhileStorageIsBlocked()
    {
        QVERIFY(startServer());
        const quint16 port = m_server->server().port();
        StorageBlock block(m_server->server().storage());
        QVERIFY(block.waitUntilBlocked());

        // A request that needs the database waits: the block is real.
        RawHttpClient cart(port);
        cart.send(RawHttpClient::get(QStringLiteral("/api/v1/carts/c_none"), port));

        const QStringList paths{QStringLiteral("/api/v1/events"),
            QStringLiteral("/api/v1/events/breakfast-ii"),
            QStringLiteral("/api/v1/events/open-air"),
            QStringLiteral("/api/v1/events/breakfast-ii/plan.svg"),
            QStringLiteral("/api/v1/events/breakfast-ii/availability"), QStringLiteral("/")};
        RawHttpClient pages(port);
        for (const QString &path : paths)
            pages.send(RawHttpClient::get(path, port));
        QVERIFY(pages.waitForResponses(int(paths.size()), 3000));
        for (qsizetype i = 0; i < paths.size(); ++i)
            QVERIFY2(pages.responses().at(i).status == 200, qPrintable(paths.at(i)));
        QVERIFY(pages.responses().at(0).body.contains("\"slug\":\"breakfast-ii\""));
        QVERIFY(pages.responses().at(1).body.contains("\"priceCategories\""));
        QVERIFY(pages.responses().at(2).body.contains("\"capacity\":500"));
        QVERIFY(pages.responses().at(3).body.contains("class=\"seat\""));
        QVERIFY(cart.responses().isEmpty());

        block.release();
        QVERIFY(cart.waitForResponses(1));
        QCOMPARE(cart.responses().first().status, 401);
    }

    void unknownEventsAreStill404()
    {
        QVERIFY(startServer());
        HttpClient http(m_server->httpUrl());
        QCOMPARE(http.get(QStringLiteral("/api/v1/events/nope")).status, 404);
        QCOMPARE(http.get(QStringLiteral("/api/v1/events/nope/plan.svg")).status, 404);
        // General admission has no plan.
        QCOMPARE(http.get(QStringLiteral("/api/v1/events/open-air/plan.svg")).status, 404);
    }

    void catalogIsReadAgainWhenAnEventMayHaveChanged()
    {
        QVERIFY(startServer());
        HttpClient http(m_server->httpUrl());
        m_server->server().storage().runBlocking<bool>([](StorageSession &s) {
            Sql::exec(s.db, QStringLiteral("UPDATE events SET name = ? WHERE slug = ?"),
                {QStringLiteral("Open Air, Renamed"), QStringLiteral("open-air")});
            return true;
        });
        // Served from memory: a change behind the server's back is not seen…
        QVERIFY(!http.get(QStringLiteral("/api/v1/events")).body.contains("Renamed"));
        // …until something says the event may have changed (a reload notice).
        emit m_server->server().hub().reloadNeeded(QStringLiteral("open-air"));
        QTRY_VERIFY(http.get(QStringLiteral("/api/v1/events")).body.contains("Open Air, Renamed"));
        QVERIFY(http.get(QStringLiteral("/api/v1/events/open-air")).body.contains("Renamed"));
    }

    void fullStorageQueueIsAnswered503()
    {
        constexpr int limit = 8;
        constexpr int extra = 4;
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().storageQueueLimit = limit;
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        const quint16 port = m_server->server().port();
        StorageBlock block(m_server->server().storage());
        QVERIFY(block.waitUntilBlocked());

        // One connection each: answers on one connection come in request
        // order, and a refusal must not wait behind a queued job.
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < limit + extra; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>(port));
            clients.back()->send(postCart(port));
        }
        QTRY_COMPARE(answered(clients), extra);
        QCOMPARE(withStatus(clients, 503), extra);
        QCOMPARE(m_server->server().storage().waiting(), limit);
        for (const auto &client : clients) {
            if (client->responses().isEmpty())
                continue;
            const auto &refused = client->responses().first();
            QCOMPARE(refused.header("retry-after"), QByteArray("1"));
            const QJsonObject body = QJsonDocument::fromJson(refused.body).object();
            QCOMPARE(body.value(QLatin1String("error")).toString(),
                QStringLiteral("unavailable_storage"));
            QCOMPARE(body.value(QLatin1String("retryAfter")).toInt(), 1);
        }
        // Page loads do not queue, so a full queue does not refuse them.
        RawHttpClient pages(port);
        pages.send(RawHttpClient::get(QStringLiteral("/api/v1/events"), port));
        QVERIFY(pages.waitForResponses(1, 3000));
        QCOMPARE(pages.responses().first().status, 200);

        block.release();
        QTRY_COMPARE(answered(clients), limit + extra);
        QCOMPARE(withStatus(clients, 201), limit);
        HttpClient http(m_server->httpUrl());
        QCOMPARE(http.post(QStringLiteral("/api/v1/carts"), QByteArray()).status, 201);
    }

private:
    bool startServer()
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        if (!m_server->start()) {
            qWarning("%s", qPrintable(m_server->error()));
            return false;
        }
        return true;
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
};

QTEST_GUILESS_MAIN(TestOverload)
#include "tst_overload.moc"
