// Which pages may open a channel: the Origin of a browser's upgrade request
// is judged before the WebSocket handshake, so a page on another site never
// gets a 101, let alone a snapshot. Raw sockets, so the refusal is visible.
#include "RawWebSocket.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

class TestChannelOrigin : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().allowedOrigins = {QStringLiteral("https://tickets.example.org")};
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
    }

    void cleanupTestCase() { m_server.reset(); }

    void upgradeIsJudgedByOrigin_data()
    {
        const QByteArray port = QByteArray::number(m_server->server().port());
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<int>("status");
        QTest::newRow("native client, no Origin") << QByteArray() << 101;
        QTest::newRow("own origin") << "http://127.0.0.1:" + port << 101;
        QTest::newRow("allowed origin") << QByteArray("https://tickets.example.org") << 101;
        QTest::newRow("foreign site") << QByteArray("http://evil.example") << 403;
        QTest::newRow("own host, wrong scheme") << "https://127.0.0.1:" + port << 403;
        QTest::newRow("own host, wrong port") << QByteArray("http://127.0.0.1:1") << 403;
        QTest::newRow("own host, default port") << QByteArray("http://127.0.0.1") << 403;
        QTest::newRow("allowed host, wrong scheme")
            << QByteArray("http://tickets.example.org") << 403;
        QTest::newRow("allowed host, other port")
            << QByteArray("https://tickets.example.org:8443") << 403;
        QTest::newRow("opaque origin") << QByteArray("null") << 403;
        QTest::newRow("lookalike") << QByteArray("https://tickets.example.org.evil.example") << 403;
    }

    void upgradeIsJudgedByOrigin()
    {
        QFETCH(QByteArray, origin);
        QFETCH(int, status);
        RawWebSocket socket(
            m_server->server().port(), QStringLiteral("/events/open-air/messages"), origin);
        QCOMPARE(socket.waitForHandshake(), status);
        if (status == 101) {
            QTRY_VERIFY(!socket.frames().isEmpty()); // the snapshot
            QCOMPARE(socket.frames().first().opcode, 1);
            return;
        }
        QTRY_VERIFY(socket.rest().endsWith('}'));
        const QJsonObject body = QJsonDocument::fromJson(socket.rest()).object();
        QCOMPARE(body.value(QLatin1String("error")).toString(), QStringLiteral("forbidden"));
        // Refused for good: the connection ends, and no handshake follows.
        QTRY_COMPARE(socket.socket().state(), QAbstractSocket::UnconnectedState);
        QVERIFY(!socket.rest().contains("101 Switching"));
        QVERIFY(socket.frames().isEmpty());
    }

    void rebindingHostIsStillRefused()
    {
        // A page on a rebound name sends its own origin, which matches the
        // Host it asked for: the Host check stops it.
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->server().port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /events/open-air/messages HTTP/1.1\r\nHost: attacker.example\r\n"
                     "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                     "Origin: http://attacker.example\r\n\r\n");
        QByteArray answer;
        connect(&socket, &QTcpSocket::readyRead, &socket, [&] { answer += socket.readAll(); });
        QTRY_VERIFY(answer.contains("\r\n\r\n"));
        QVERIFY2(answer.startsWith("HTTP/1.1 421"), answer.constData());
    }

private:
    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
};

QTEST_GUILESS_MAIN(TestChannelOrigin)
#include "tst_channelorigin.moc"
