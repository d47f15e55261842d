// Channel clients that stop keeping up are dropped, and nobody else notices:
// one that stops reading, and one that stops answering pings. Hand-written
// WebSocket clients on real sockets, next to well-behaved QWebSockets;
// short limits through ServerOptions so nothing waits for long.
#include "ChannelClient.h"
#include "ChannelHub.h"
#include "HttpClient.h"
#include "RawWebSocket.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

namespace {

/// The versions a subscriber received, in order.
QList<qint64> versions(const ChannelClient &client)
{
    QList<qint64> result;
    for (const auto &message : client.messages())
        result.append(message.version);
    return result;
}

bool consecutive(const QList<qint64> &list)
{
    for (qsizetype i = 1; i < list.size(); ++i) {
        if (list.at(i) != list.at(i - 1) + 1)
            return false;
    }
    return true;
}

} // namespace

class TestChannelDrops : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void clientThatStopsReadingIsDropped()
    {
        ChannelLimits limits;
        // Above a round's burst (answers queue until the event loop writes
        // them), so only a client that stays behind passes it.
        limits.maxUnsentBytes = 64 * 1024;
        limits.maxMessagesPerMinute = 100'000; // its resyncs are allowed: it is slow, not chatty
        QVERIFY(startServer(limits));
        const QString event = QStringLiteral("breakfast-ii");
        ChannelClient reader(m_server->channelUrl(event));
        QTRY_COMPARE(reader.messages().size(), 1);
        RawWebSocket stalled(
            m_server->server().port(), QStringLiteral("/events/breakfast-ii/messages"), {}, 4096);
        QCOMPARE(stalled.waitForHandshake(), 101);
        QTRY_COMPARE(stalled.frames().size(), 1);
        stalled.stopReading();
        QCOMPARE(m_server->server().hub().subscriberCount(event), 2);

        // Each round queues 10 snapshots (3 KB each) for the stalled client
        // and two updates for both; the reader drains, the stalled one piles
        // up, first in the kernel (on loopback the server's send buffer
        // grows to 4 MiB), then in the server.
        const auto [cart, token] = m_http->newCart();
        int rounds = 0;
        for (; rounds < 1000 && m_server->server().hub().subscriberCount(event) == 2; ++rounds) {
            for (int i = 0; i < 10; ++i)
                stalled.sendText(QByteArrayLiteral("{\"type\":\"resync\"}"));
            changeSeat(cart, token);
        }
        QVERIFY2(m_server->server().hub().subscriberCount(event) == 1,
            qPrintable(QStringLiteral("still subscribed after %1 rounds").arg(rounds)));
        changeSeat(cart, token); // and one more after the drop
        const qint64 last
            = m_server->server().hub().store().version(QStringLiteral("breakfast-ii"));
        QTRY_COMPARE(reader.messages().last().version, last);
        QVERIFY(!reader.closed());
        QVERIFY(consecutive(versions(reader))); // every update, in order
        QCOMPARE(reader.messages().size(), 1 + 2 * (rounds + 1));
        // Reading again, the stalled client finds its connection cut.
        stalled.socket().setReadBufferSize(0);
        QTRY_COMPARE(stalled.socket().state(), QAbstractSocket::UnconnectedState);
    }

    void clientStillSendingWhenRefusedReadsWhy()
    {
        ChannelLimits limits;
        limits.maxUnsentBytes = 1024 * 1024; // slow here, but not too slow
        QVERIFY(startServer(limits));
        const QString event = QStringLiteral("breakfast-ii");
        RawWebSocket client(
            m_server->server().port(), QStringLiteral("/events/breakfast-ii/messages"), {}, 4096);
        QCOMPARE(client.waitForHandshake(), 101);
        QTRY_COMPARE(client.frames().size(), 1);
        // Changes pile up for the client, in the kernel's buffers, until it reads.
        client.stopReading();
        const auto [cart, token] = m_http->newCart();
        for (int i = 0; i < 300; ++i)
            changeSeat(cart, token);
        // A message far over the limit, still arriving when the server
        // refuses it: the refusal (1009) must reach the client all the same,
        // behind the changes, not be lost to a TCP reset.
        const int size = 60'000;
        QByteArray frame("\x81\xfe", 2);
        frame += char(size >> 8);
        frame += char(size & 0xff);
        frame += QByteArray("\x11\x22\x33\x44", 4) + QByteArray(size, 'x');
        client.socket().write(frame);
        QTRY_COMPARE(m_server->server().hub().subscriberCount(event), 0);
        client.socket().write(QByteArray(size, 'y')); // and more after the refusal
        client.resumeReading();
        QTRY_COMPARE(client.closeCode(), 1009);
        QCOMPARE(client.frames().last().opcode, 8);
        QVERIFY2(client.frames().size() > 50, qPrintable(QString::number(client.frames().size())));
        QTRY_COMPARE(client.socket().state(), QAbstractSocket::UnconnectedState);
    }

    void clientThatStopsAnsweringPingsIsDropped()
    {
        ChannelLimits limits;
        limits.pingIntervalMs = 100;
        QVERIFY(startServer(limits));
        ChannelClient answering(m_server->channelUrl(QStringLiteral("open-air")));
        QTRY_COMPARE(answering.messages().size(), 1);
        RawWebSocket silent(m_server->server().port(), QStringLiteral("/events/open-air/messages"));
        QCOMPARE(silent.waitForHandshake(), 101);
        QTRY_VERIFY(std::any_of(silent.frames().cbegin(), silent.frames().cend(),
            [](const RawWebSocket::Frame &frame) { return frame.opcode == 9; }));
        QTRY_COMPARE_WITH_TIMEOUT(silent.closeCode(), 1001, 5000); // going away: no pong
        QTRY_COMPARE(silent.socket().state(), QAbstractSocket::UnconnectedState);
        // The one that answers went through the same pings and stays.
        QVERIFY(!answering.closed());
        QCOMPARE(m_server->server().hub().subscriberCount(QStringLiteral("open-air")), 1);
        const auto [cart, token] = m_http->newCart();
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart),
                         QByteArray("{\"event\":\"open-air\",\"quantity\":1}"), token)
                     .status,
            201);
        QTRY_COMPARE(answering.messages().size(), 2);
    }

private:
    bool startServer(const ChannelLimits &limits)
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().channelLimits = limits;
        if (!m_server->start()) {
            qWarning("%s", qPrintable(m_server->error()));
            return false;
        }
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
        return true;
    }

    /// Holds A5 and releases it again: two committed changes.
    void changeSeat(const QString &cart, const QString &token)
    {
        const auto hold = m_http->post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart),
            QByteArray("{\"event\":\"breakfast-ii\",\"seats\":[\"A5\"]}"), token);
        QCOMPARE(hold.status, 201);
        QCOMPARE(m_http
                     ->del(QStringLiteral("/api/v1/carts/%1/holds/%2")
                               .arg(cart, hold.json().value(QLatin1String("hold")).toString()),
                         token)
                     .status,
            204);
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
};

QTEST_GUILESS_MAIN(TestChannelDrops)
#include "tst_channeldrops.moc"
