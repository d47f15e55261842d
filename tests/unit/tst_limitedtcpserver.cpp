// The connection limits in front of the HTTP server: a request that
// trickles in is cut at its deadline, an idle connection is closed.
#include "LimitedTcpServer.h"

#include <QTcpSocket>
#include <QTimer>
#include <QtTest>

using namespace Marquee;

class TestLimitedTcpServer : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        LimitedTcpServer::Limits limits;
        limits.idleTimeoutMs = 400;
        limits.requestTimeoutMs = 400;
        m_server = std::make_unique<LimitedTcpServer>(limits);
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    }

    void cleanup() { m_server.reset(); }

    void tricklingRequestIsCutAtItsDeadline()
    {
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QVERIFY(client.waitForConnected(5000));
        // One byte every 100 ms: never idle for long, but never finished.
        QTimer trickle;
        connect(&trickle, &QTimer::timeout, &client, [&client] { client.write("G"); });
        trickle.start(100);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
    }

    void idleConnectionIsClosed()
    {
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QVERIFY(client.waitForConnected(5000));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
    }

    void oversizedRequestGets413()
    {
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QVERIFY(client.waitForConnected(5000));
        QByteArray answer;
        connect(&client, &QTcpSocket::readyRead, &client, [&] { answer += client.readAll(); });
        client.write(QByteArray(200 * 1024, 'x'));
        QTRY_VERIFY(answer.startsWith("HTTP/1.1 413"));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
    }

private:
    std::unique_ptr<LimitedTcpServer> m_server;
};

QTEST_GUILESS_MAIN(TestLimitedTcpServer)
#include "tst_limitedtcpserver.moc"
