// HTTP and WebSocket framing over raw sockets: what a reverse proxy could
// read differently from Qt 6.4's parser is refused with 400 and the
// connection closed before that parser sees it; a request smuggled behind a
// refused one never runs. Connection: close and HTTP/1.0 close after the
// answer, Expect: 100-continue is answered, every answer carries the
// security headers, a channel never opens behind an unanswered request, and
// channel clients that break RFC 6455 are cut.
#include "ChannelHub.h"
#include "RawHttpClient.h"
#include "RawWebSocket.h"
#include "StorageBlock.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QTcpSocket>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

namespace {

const QByteArray smuggled = "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

QByteArray post(const QByteArray &headers, const QByteArray &body = {})
{
    return "POST /api/v1/carts HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n" + body;
}

bool hasSecurityHeaders(const RawHttpClient::Response &response)
{
    const QByteArray csp = response.header("content-security-policy");
    return csp.contains("default-src 'self'") && csp.contains("script-src 'self'")
        && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'")
        && response.header("x-content-type-options") == "nosniff"
        && response.header("referrer-policy") == "no-referrer"
        && response.header("x-frame-options") == "DENY";
}

} // namespace

class TestFraming : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        ChannelLimits limits;
        limits.maxUnsentBytes = 64 * 1024;
        m_server->options().channelLimits = limits;
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
    }

    void cleanupTestCase() { m_server.reset(); }

    void badFramingIsRefusedAndClosed_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        // Each is followed by a smuggled GET that must never be answered.
        QTest::newRow("content-length and chunked")
            << post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n") << 400;
        QTest::newRow("two content-lengths")
            << post("Content-Length: 0\r\nContent-Length: 5\r\n", "hello") << 400;
        QTest::newRow("negative content-length") << post("Content-Length: -1\r\n") << 400;
        QTest::newRow("overflowing content-length")
            << post("Content-Length: 18446744073709551621\r\n") << 400;
        QTest::newRow("non-numeric content-length") << post("Content-Length: 5x\r\n") << 400;
        QTest::newRow("hex content-length") << post("Content-Length: 0x5\r\n") << 400;
        QTest::newRow("xchunked") << post("Transfer-Encoding: xchunked\r\n", "0\r\n\r\n") << 400;
        QTest::newRow("chunkedx") << post("Transfer-Encoding: chunkedx\r\n", "0\r\n\r\n") << 400;
        QTest::newRow("chunked, identity")
            << post("Transfer-Encoding: chunked, identity\r\n", "0\r\n\r\n") << 400;
        QTest::newRow("chunk size -1")
            << post("Transfer-Encoding: chunked\r\n", "-1\r\nab\r\n0\r\n\r\n") << 400;
        QTest::newRow("chunk size 0x5")
            << post("Transfer-Encoding: chunked\r\n", "0x5\r\nhello\r\n0\r\n\r\n") << 400;
        QTest::newRow("empty chunk size")
            << post("Transfer-Encoding: chunked\r\n", "\r\nhello\r\n0\r\n\r\n") << 400;
        QTest::newRow("chunk shorter than its data")
            << post("Transfer-Encoding: chunked\r\n", "2\r\nhello\r\n0\r\n\r\n") << 400;
        QTest::newRow("space before colon") << post("Content-Length : 5\r\n", "hello") << 400;
        QTest::newRow("folded header")
            << post("Content-Length: 0\r\nX-A: b\r\n Transfer-Encoding: chunked\r\n") << 400;
        QTest::newRow("bare LF") << QByteArray("GET /api/v1/events HTTP/1.1\nHost: x\n\n") << 400;
        QTest::newRow("encoded slash")
            << QByteArray("GET /api/v1/events/a%2Fb HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::newRow("encoded slash, lower case")
            << QByteArray("GET /api/v1/events/a%2fb/availability HTTP/1.1\r\nHost: x\r\n\r\n")
            << 400;
        QTest::newRow("HTTP/2.0 request line")
            << QByteArray("GET /api/v1/events HTTP/2.0\r\nHost: x\r\n\r\n") << 400;
        QTest::newRow("unknown expectation")
            << post("Expect: 200-ok\r\nContent-Length: 0\r\n") << 417;
        QTest::newRow("announced body over the limit")
            << post("Expect: 100-continue\r\nContent-Length: 1000000\r\n") << 413;
        QTest::newRow("upgrade to h2c") << QByteArray(
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
                                        << 400;
    }

    void badFramingIsRefusedAndClosed()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        RawHttpClient client(m_server->server().port());
        QVERIFY(client.waitForConnected());
        client.send(request + smuggled);
        QVERIFY(client.waitForResponses(1));
        QCOMPARE(client.responses().first().status, status);
        QVERIFY(hasSecurityHeaders(client.responses().first()));
        QCOMPARE(client.responses().first().header("connection"), QByteArray("close"));
        // Closed, and the smuggled request after it was never answered.
        QTRY_COMPARE(client.socket().state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(client.responses().size(), 1);
    }

    void refusalIsJudgedWhenTheHeadArrivesInPieces()
    {
        RawHttpClient client(m_server->server().port());
        QVERIFY(client.waitForConnected());
        const QByteArray request
            = post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n") + smuggled;
        const qsizetype half = request.indexOf("Transfer") + 4;
        client.send(request.left(half));
        // The first piece is on its way (and usually read, so Qt's parser has
        // begun on it) before the rest goes.
        QTRY_COMPARE(client.socket().bytesToWrite(), 0);
        QCoreApplication::processEvents();
        client.send(request.mid(half));
        QVERIFY(client.waitForResponses(1));
        QCOMPARE(client.responses().first().status, 400);
        QTRY_COMPARE(client.socket().state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(client.responses().size(), 1);
    }

    void wellFramedPipelinedBodiesAreNotReadAsHeads()
    {
        // A body that looks like a refused head is only a body (and no JSON).
        const QByteArray body = "GET /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        const QByteArray request = "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Content-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        RawHttpClient client(m_server->server().port());
        QVERIFY(client.waitForConnected());
        client.send(request + smuggled + request);
        QVERIFY(client.waitForResponses(3));
        QCOMPARE(client.responses().at(0).status, 400);
        QCOMPARE(client.responses().at(1).status, 200);
        QCOMPARE(client.responses().at(2).status, 400);
        QVERIFY(client.isConnected());
    }

    void aBodyWithLineFeedsInTheHeadsPieceIsRead()
    {
        // Pretty-printed JSON has bare LFs; arriving with its head in one
        // piece it was once judged as part of the head and refused.
        const QByteArray body = "{\n  \"user\": \"nobody\",\n  \"password\": \"not this one\"\n}\n";
        RawHttpClient client(m_server->server().port());
        QVERIFY(client.waitForConnected());
        client.send("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body + smuggled);
        QVERIFY(client.waitForResponses(2));
        QCOMPARE(client.responses().at(0).status, 401); // read, and the name is unknown
        QCOMPARE(client.responses().at(1).status, 200);
        QVERIFY(client.isConnected());
    }

    void connectionCloseClosesAfterTheAnswer_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("Connection: close")
            << QByteArray("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QTest::newRow("HTTP/1.0") << QByteArray("GET /api/v1/events HTTP/1.0\r\n\r\n");
        QTest::newRow("close among other tokens") << QByteArray(
            "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nConnection: foo, Close\r\n\r\n");
    }

    void connectionCloseClosesAfterTheAnswer()
    {
        QFETCH(QByteArray, request);
        RawHttpClient client(m_server->server().port());
        QVERIFY(client.waitForConnected());
        // Pipelined after the closing request: neither run nor answered.
        client.send(request + smuggled);
        QVERIFY(client.waitForResponses(1));
        QCOMPARE(client.responses().first().status, 200);
        QVERIFY(client.responses().first().body.startsWith('['));
        QCOMPARE(client.responses().first().header("connection"), QByteArray("close"));
        // Well before the 30 s idle timeout.
        QTRY_COMPARE(client.socket().state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(client.responses().size(), 1);
    }

    void keptAliveConnectionsStayOpen_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("HTTP/1.1") << QByteArray("GET /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n");
        QTest::newRow("HTTP/1.0 keep-alive")
            << QByteArray("GET /api/v1/events HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    }

    void keptAliveConnectionsStayOpen()
    {
        QFETCH(QByteArray, request);
        RawHttpClient client(m_server->server().port());
        QVERIFY(client.waitForConnected());
        client.send(request);
        QVERIFY(client.waitForResponses(1));
        QCOMPARE(client.responses().at(0).header("connection"), QByteArray());
        client.send(request); // the same connection answers again
        QVERIFY(client.waitForResponses(2));
        QCOMPARE(client.responses().at(1).status, 200);
        QVERIFY(client.isConnected());
    }

    void expectContinueIsAnsweredBeforeTheBody()
    {
        const QByteArray body = "{\"user\":\"nobody\",\"password\":\"wrong password\"}";
        RawHttpClient client(m_server->server().port());
        QVERIFY(client.waitForConnected());
        client.send("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n");
        QVERIFY(client.waitForResponses(1, 5000));
        QCOMPARE(client.responses().at(0).status, 100);
        client.send(body);
        QVERIFY(client.waitForResponses(2));
        QCOMPARE(client.responses().at(1).status, 401);
        QVERIFY(client.isConnected());
    }

    void everyAnswerCarriesSecurityHeaders_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::newRow("page") << QStringLiteral("/") << 200;
        QTest::newRow("script") << QStringLiteral("/app.js") << 200;
        QTest::newRow("api") << QStringLiteral("/api/v1/events") << 200;
        QTest::newRow("not found") << QStringLiteral("/nothing-here") << 404;
        QTest::newRow("wrong method") << QStringLiteral("/api/v1/carts") << 405;
    }

    void everyAnswerCarriesSecurityHeaders()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        RawHttpClient client(m_server->server().port());
        QVERIFY(client.waitForConnected());
        client.send(RawHttpClient::get(path, m_server->server().port()));
        QVERIFY(client.waitForResponses(1));
        QCOMPARE(client.responses().first().status, status);
        QVERIFY(hasSecurityHeaders(client.responses().first()));
    }

    void webSocketKeyMustBeSixteenBytes_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::newRow("1 KB") << QByteArray(1024, 'A');
        QTest::newRow("12 bytes") << QByteArray("AAAAAAAAAAAAAAAA");
        QTest::newRow("not base64") << QByteArray("!!!!!!!!!!!!!!!!!!!!!!==");
        QTest::newRow("empty") << QByteArray();
    }

    void webSocketKeyMustBeSixteenBytes()
    {
        QFETCH(QByteArray, key);
        RawWebSocket socket(
            m_server->server().port(), QStringLiteral("/events/open-air/messages"), {}, 0, key);
        QCOMPARE(socket.waitForHandshake(), 400);
        QVERIFY(socket.rest().contains("bad_request"));
        QCOMPARE(m_server->server().hub().subscriberCount(QStringLiteral("open-air")), 0);
    }

    // A channel is opened only on a connection whose earlier requests are all
    // answered: their answers would come later, into the channel's stream,
    // and from the HTTP thread to a connection a sender thread owns by then.
    void upgradeBehindAnUnansweredRequestIsRefused()
    {
        StorageBlock block(m_server->server().storage());
        QVERIFY(block.waitUntilBlocked());
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->server().port());
        QTRY_COMPARE(socket.state(), QAbstractSocket::ConnectedState);
        const QByteArray host = "127.0.0.1:" + QByteArray::number(m_server->server().port());
        socket.write("POST /api/v1/carts HTTP/1.1\r\nHost: " + host
            + "\r\nContent-Length: 0\r\n\r\n"
              "GET /events/breakfast-ii/messages HTTP/1.1\r\nHost: "
            + host
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QByteArray received;
        connect(&socket, &QTcpSocket::readyRead, &socket, [&] { received += socket.readAll(); });
        QTRY_COMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        block.release();
        QVERIFY2(!received.contains("101"), received.constData());
        QCOMPARE(m_server->server().hub().subscriberCount(QStringLiteral("breakfast-ii")), 0);
        // The server goes on serving channels.
        RawWebSocket channel(
            m_server->server().port(), QStringLiteral("/events/breakfast-ii/messages"));
        QCOMPARE(channel.waitForHandshake(), 101);
        QTRY_COMPARE(channel.frames().size(), 1);
    }

    void unmaskedClientFrameClosesWith1002()
    {
        RawWebSocket socket(m_server->server().port(), QStringLiteral("/events/open-air/messages"));
        QCOMPARE(socket.waitForHandshake(), 101);
        QTRY_COMPARE(socket.frames().size(), 1); // the snapshot
        // A resync would be answered with a second snapshot: it must not be read.
        socket.sendFrame(1, QByteArrayLiteral("{\"type\":\"resync\"}"), false);
        QTRY_COMPARE(socket.closeCode(), 1002);
        QCOMPARE(std::count_if(socket.frames().cbegin(), socket.frames().cend(),
                     [](const RawWebSocket::Frame &frame) { return frame.opcode == 1; }),
            1);
        QTRY_COMPARE(m_server->server().hub().subscriberCount(QStringLiteral("open-air")), 0);
    }

    void maskedClientFramesAreRead()
    {
        RawWebSocket socket(m_server->server().port(), QStringLiteral("/events/open-air/messages"));
        QCOMPARE(socket.waitForHandshake(), 101);
        QTRY_COMPARE(socket.frames().size(), 1);
        socket.sendFrame(9, QByteArrayLiteral("ping"));
        socket.sendText(QByteArrayLiteral("{\"type\":\"resync\"}"));
        QTRY_COMPARE(socket.frames().size(), 3); // the pong, a fresh snapshot
        QCOMPARE(socket.frames().at(1).opcode, 10);
        QCOMPARE(socket.frames().at(2).opcode, 1);
        QCOMPARE(socket.closeCode(), 0);
    }

    void pingFloodFromAClientThatNeverReadsIsDropped()
    {
        const QString event = QStringLiteral("breakfast-ii");
        RawWebSocket flooder(
            m_server->server().port(), QStringLiteral("/events/breakfast-ii/messages"), {}, 4096);
        QCOMPARE(flooder.waitForHandshake(), 101);
        QTRY_COMPARE(flooder.frames().size(), 1);
        flooder.stopReading();
        QTRY_COMPARE(m_server->server().hub().subscriberCount(event), 1);
        // Every ping makes Qt queue a pong of the same size. Past the kernel
        // buffers (up to 4 MiB on loopback) they pile up in the server,
        // and the hub sends nothing meanwhile that would notice.
        const QByteArray payload(125, 'p');
        int rounds = 0;
        for (; rounds < 200 && m_server->server().hub().subscriberCount(event) == 1; ++rounds) {
            for (int i = 0; i < 500; ++i)
                flooder.sendFrame(9, payload);
            QTRY_COMPARE(flooder.socket().bytesToWrite(), 0);
        }
        QVERIFY2(m_server->server().hub().subscriberCount(event) == 0,
            qPrintable(QStringLiteral("still subscribed after %1 rounds").arg(rounds)));
    }

private:
    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
};

QTEST_GUILESS_MAIN(TestFraming)
#include "tst_framing.moc"
