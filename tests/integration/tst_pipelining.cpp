// HTTP/1.1 pipelining over a raw socket: several requests written at once on
// one connection must be answered in the order they were sent, however long
// each takes, and none may be refused for the bytes of the others.
#include "RawHttpClient.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

class TestPipelining : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
    }

    void cleanupTestCase() { m_server.reset(); }

    void answersComeBackInRequestOrder()
    {
        // Reading a cart is a storage job (another thread); availability is
        // answered from memory at once, so it would overtake a slow answer.
        // The cart does not exist: its 401 tells the two answers apart.
        const quint16 port = m_server->server().port();
        const QByteArray slow = RawHttpClient::get(QStringLiteral("/api/v1/carts/c_none"), port);
        const QByteArray fast
            = RawHttpClient::get(QStringLiteral("/api/v1/events/open-air/availability"), port);
        RawHttpClient client(port);
        QVERIFY(client.waitForConnected());
        for (int round = 0; round < 20; ++round) {
            client.send(slow + fast + slow);
            QVERIFY(client.waitForResponses(3 * (round + 1)));
            for (int i = 0; i < 3; ++i) {
                const auto &response = client.responses().at(3 * round + i);
                QVERIFY2(response.status == (i == 1 ? 200 : 401),
                    qPrintable(QStringLiteral("round %1, answer %2: %3 %4")
                                   .arg(round)
                                   .arg(i)
                                   .arg(response.status)
                                   .arg(QString::fromUtf8(response.body.left(40)))));
            }
        }
    }

    void manySmallPipelinedRequestsAreAllAnswered()
    {
        // Both answered from memory: what is measured here is the byte
        // count of the connection limits, not the order of slow answers.
        // Headers the size a browser sends, so the 100 requests come to
        // well below the request limit, though not twice over.
        const QByteArray browserHeaders
            = "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
              " Chrome/120.0.0.0 Safari/537.36\r\n"
              "Accept: application/json,text/html;q=0.9,application/xhtml+xml;q=0.8,*/*;q=0.7\r\n"
              "Accept-Language: de-DE,de;q=0.9,en-GB;q=0.8,en;q=0.7,fr;q=0.5\r\n"
              "Accept-Encoding: identity\r\n"
              "Referer: http://127.0.0.1/index.html?event=breakfast-ii&view=seats\r\n"
              "Sec-Fetch-Dest: empty\r\nSec-Fetch-Mode: cors\r\nSec-Fetch-Site: same-origin\r\n"
              "Cache-Control: no-cache\r\nPragma: no-cache\r\nConnection: keep-alive\r\n";
        const quint16 port = m_server->server().port();
        RawHttpClient client(port);
        QVERIFY(client.waitForConnected());
        const QStringList events{QStringLiteral("breakfast-ii"), QStringLiteral("open-air")};
        QByteArray requests;
        for (int i = 0; i < 100; ++i) {
            requests += RawHttpClient::get(
                QStringLiteral("/api/v1/events/%1/availability").arg(events.at(i % 2)), port,
                browserHeaders);
        }
        QVERIFY(requests.size() > 50 * 1024);
        QVERIFY(requests.size() < 64 * 1024); // below the request limit
        client.send(requests);
        QVERIFY2(client.waitForResponses(100),
            qPrintable(
                QStringLiteral("%1 answers, the last %2")
                    .arg(client.responses().size())
                    .arg(client.responses().isEmpty() ? 0 : client.responses().last().status)));
        for (int i = 0; i < 100; ++i) {
            const auto &response = client.responses().at(i);
            QCOMPARE(response.status, 200);
            const QByteArray event = "\"event\":\"" + events.at(i % 2).toUtf8() + '"';
            QVERIFY(response.body.contains(event));
        }
        QVERIFY(client.waitForConnected());
    }

private:
    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
};

QTEST_GUILESS_MAIN(TestPipelining)
#include "tst_pipelining.moc"
