// --tls-cert and --tls-key: HTTPS and WSS on the one port, with the files
// an operator names. Certificates are made by openssl for each run; the
// clients are Qt's own, verifying against a test authority as a browser
// verifies against its trust store.
#include "ChannelClient.h"
#include "ChannelHub.h"
#include "HttpClient.h"
#include "RawWebSocket.h"
#include "TestCertificates.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QSslSocket>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

class TestTls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
        m_files = m_certificates.signedByAuthority(QStringLiteral("venue"));
        QVERIFY2(!m_files.certificate.isNull(), qPrintable(m_certificates.error()));
        // Qt's clients in this process trust the test authority, nothing else.
        QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
        trusting.setCaCertificates({m_certificates.authority()});
        QSslConfiguration::setDefaultConfiguration(trusting);

        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().tlsCert = m_files.cert;
        m_server->options().tlsKey = m_files.key;
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        QCOMPARE(m_server->httpUrl().scheme(), QStringLiteral("https"));
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
    }

    void cleanupTestCase()
    {
        m_http.reset();
        m_server.reset();
    }

    void servesTheNamedCertificate()
    {
        QSslSocket socket;
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->server().port());
        // Not waitForEncrypted(): it would block the server in this thread.
        QTRY_VERIFY2_WITH_TIMEOUT(socket.isEncrypted(), qPrintable(socket.errorString()), 10'000);
        QCOMPARE(socket.peerCertificate(), m_files.certificate);
        QVERIFY(socket.sessionProtocol() >= QSsl::TlsV1_2);
    }

    void apiAndPageOverHttps()
    {
        const auto events = m_http->get(QStringLiteral("/api/v1/events"));
        QCOMPARE(events.status, 200);
        QVERIFY(events.body.contains("breakfast-ii"));
        const auto page = m_http->get(QStringLiteral("/"));
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.contains("<html"));
    }

    void channelOverWss()
    {
        ChannelClient channel(m_server->channelUrl(QStringLiteral("breakfast-ii")));
        QTRY_COMPARE(channel.messages().size(), 1);
        QCOMPARE(channel.messages().first().type, Protocol::ChannelMessage::Type::Snapshot);
        QCOMPARE(
            channel.messages().first().seats.value(QStringLiteral("B7")), SeatState::Available);

        const auto [cart, token] = m_http->newCart();
        QVERIFY(!token.isEmpty());
        const auto hold = m_http->post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart),
            QJsonObject{{QStringLiteral("event"), QStringLiteral("breakfast-ii")},
                {QStringLiteral("seats"), QJsonArray{QStringLiteral("B7")}}},
            token);
        QCOMPARE(hold.status, 201);
        QTRY_COMPARE(channel.messages().size(), 2);
        QCOMPARE(channel.messages().at(1).seats.value(QStringLiteral("B7")), SeatState::Held);
    }

    // The page is served from https://, so that is the origin its channel
    // opens from; the same host with http:// is another origin.
    void ownOriginIsHttps()
    {
        const QString own = QStringLiteral("127.0.0.1:%1").arg(m_server->server().port());
        ChannelClient secure(
            m_server->channelUrl(QStringLiteral("open-air")), QStringLiteral("https://") + own);
        ChannelClient plain(
            m_server->channelUrl(QStringLiteral("open-air")), QStringLiteral("http://") + own);
        QTRY_COMPARE(secure.messages().size(), 1);
        QTRY_VERIFY(plain.closed());
        QVERIFY(plain.messages().isEmpty());
        QVERIFY(!secure.closed());
    }

    // A client speaking plain HTTP to the TLS port gets no HTTP answer (its
    // bytes are no handshake) and the connection goes; others are served.
    void plainHttpIsDropped()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->server().port());
        QTRY_COMPARE(socket.state(), QAbstractSocket::ConnectedState);
        socket.write("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray received;
        connect(&socket, &QTcpSocket::readyRead, &socket, [&] { received += socket.readAll(); });
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10'000);
        QVERIFY2(!received.contains("HTTP/1."), received.constData());
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/events")).status, 200);
    }

    // Requests refused before Qt's parser (see LimitedTcpServer) are
    // answered inside the TLS session like any other.
    void framingRefusalIsEncrypted()
    {
        QSslSocket socket;
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->server().port());
        QTRY_VERIFY2_WITH_TIMEOUT(socket.isEncrypted(), qPrintable(socket.errorString()), 10'000);
        socket.write("POST /api/v1/carts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        QByteArray received;
        connect(&socket, &QSslSocket::readyRead, &socket, [&] { received += socket.readAll(); });
        QTRY_VERIFY2(received.contains("\r\n\r\n"), received.constData());
        QVERIFY2(received.startsWith("HTTP/1.1 400"), received.constData());
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10'000);
    }

    // A browser sends a POST's head and body in two TLS records, often in
    // one TCP segment; the server then decrypts them in one go and the
    // socket says readyRead once per record, before the event loop runs
    // again. The framing check must still see every byte once: when it
    // missed the body, it took the next request's first bytes for that
    // body and refused the rest as a malformed request line.
    void headAndBodyInSeparateRecordsAreFramedAsOne()
    {
        const auto [cart, token] = m_http->newCart();
        QSslSocket socket;
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->server().port());
        QTRY_VERIFY2_WITH_TIMEOUT(socket.isEncrypted(), qPrintable(socket.errorString()), 10'000);
        QByteArray received;
        connect(&socket, &QSslSocket::readyRead, &socket, [&] { received += socket.readAll(); });

        const QByteArray body = R"({"event":"open-air","quantity":1})";
        const QByteArray head = "POST /api/v1/carts/" + cart.toUtf8()
            + "/holds HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token.toUtf8()
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n";
        const QByteArray next = "GET /api/v1/carts/" + cart.toUtf8()
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token.toUtf8()
            + "\r\n\r\n";
        // Each flush() ends a TLS record and hands it to the kernel at once:
        // the server, in this thread, reads all three together.
        for (const QByteArray &record : {head, body, next}) {
            socket.write(record);
            QVERIFY(socket.flush());
        }
        QTRY_VERIFY2_WITH_TIMEOUT(received.count("HTTP/1.1 ") == 2, received.constData(), 10'000);
        QVERIFY2(received.startsWith("HTTP/1.1 201"), received.constData());
        const qsizetype second = received.indexOf("HTTP/1.1 ", 1);
        QVERIFY2(received.mid(second).startsWith("HTTP/1.1 200"), received.constData());
        QVERIFY2(received.contains(R"("quantity":1)"), received.constData());
    }

    // What a slow subscriber has not taken piles up encrypted, below the
    // QSslSocket's own buffer: it must count towards the limit all the same.
    void stalledWssSubscriberIsDropped()
    {
        TestServer server(m_databases.fresh());
        server.options().tlsCert = m_files.cert;
        server.options().tlsKey = m_files.key;
        server.options().channelLimits.maxUnsentBytes = 64 * 1024;
        server.options().channelLimits.maxMessagesPerMinute = 100'000;
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.httpUrl());
        const QString event = QStringLiteral("breakfast-ii");
        RawWebSocket stalled(server.server().port(),
            QStringLiteral("/events/breakfast-ii/messages"), {}, 4096, RawWebSocket::sampleKey,
            true);
        QCOMPARE(stalled.waitForHandshake(10'000), 101);
        QTRY_COMPARE(stalled.frames().size(), 1);
        stalled.stopReading();
        QCOMPARE(server.server().hub().subscriberCount(event), 1);

        const auto [cart, token] = http.newCart();
        int rounds = 0;
        for (; rounds < 1000 && server.server().hub().subscriberCount(event) == 1; ++rounds) {
            for (int i = 0; i < 10; ++i)
                stalled.sendText(QByteArrayLiteral("{\"type\":\"resync\"}"));
            const auto hold = http.holdSeats(cart, token, event, {QStringLiteral("A5")});
            QCOMPARE(hold.status, 201);
            QCOMPARE(http.del(QStringLiteral("/api/v1/carts/%1/holds/%2")
                                  .arg(cart, hold.json().value(QLatin1String("hold")).toString()),
                             token)
                         .status,
                204);
        }
        QVERIFY2(server.server().hub().subscriberCount(event) == 0,
            qPrintable(QStringLiteral("still subscribed after %1 rounds").arg(rounds)));
    }

    void badFilesStopTheStart_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("no certificate file") << "missing-cert"
                                             << "no such file";
        QTest::newRow("no key file") << "missing-key"
                                     << "cannot read";
        QTest::newRow("key of another certificate") << "other-key"
                                                    << "does not fit";
        QTest::newRow("certificate given as key") << "cert-as-key"
                                                  << "no unencrypted";
        QTest::newRow("key given as certificate") << "key-as-cert"
                                                  << "no PEM certificate";
    }

    void badFilesStopTheStart()
    {
        QFETCH(QString, which);
        QFETCH(QString, message);
        const auto other = m_certificates.selfSigned(QStringLiteral("other"));
        QVERIFY2(!other.certificate.isNull(), qPrintable(m_certificates.error()));
        QString cert = m_files.cert;
        QString key = m_files.key;
        if (which == QLatin1String("missing-cert"))
            cert += QStringLiteral(".gone");
        else if (which == QLatin1String("missing-key"))
            key += QStringLiteral(".gone");
        else if (which == QLatin1String("other-key"))
            key = other.key;
        else if (which == QLatin1String("cert-as-key"))
            key = m_files.cert;
        else
            cert = m_files.key;
        TestServer server(m_databases.fresh());
        server.options().tlsCert = cert;
        server.options().tlsKey = key;
        QVERIFY(!server.start());
        QVERIFY2(server.error().contains(message), qPrintable(server.error()));
    }

private:
    TestDatabases m_databases;
    TestCertificates m_certificates;
    TestCertificates::Files m_files;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
