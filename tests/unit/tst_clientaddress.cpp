// Whose bucket a request goes to: the peer, or behind a trusted proxy the
// address the proxy saw.
#include "ClientAddress.h"

#include <QtTest>

using namespace Marquee;

class TestClientAddress : public QObject
{
    Q_OBJECT

private slots:
    void clientOfRequest_data()
    {
        QTest::addColumn<QString>("peer");
        QTest::addColumn<QByteArray>("forwardedFor");
        QTest::addColumn<QString>("client");
        QTest::newRow("no proxy") << "192.0.2.1" << QByteArray() << "192.0.2.1";
        QTest::newRow("untrusted peer's header ignored")
            << "192.0.2.1" << QByteArray("198.51.100.7") << "192.0.2.1";
        QTest::newRow("trusted proxy")
            << "10.0.0.5" << QByteArray("198.51.100.7") << "198.51.100.7";
        QTest::newRow("last entry is the proxy's view")
            << "10.0.0.5" << QByteArray("1.2.3.4, 198.51.100.7") << "198.51.100.7";
        QTest::newRow("ipv6 entry") << "10.0.0.5" << QByteArray("2001:db8::7") << "2001:db8::7";
        QTest::newRow("bracketed ipv6")
            << "10.0.0.5" << QByteArray("[2001:db8::7]") << "2001:db8::7";
        QTest::newRow("garbage counts as the proxy")
            << "10.0.0.5" << QByteArray("unknown") << "10.0.0.5";
        QTest::newRow("trusted proxy without header") << "10.0.0.5" << QByteArray() << "10.0.0.5";
        QTest::newRow("v4-mapped peer")
            << "::ffff:10.0.0.5" << QByteArray("198.51.100.7") << "198.51.100.7";
    }

    void clientOfRequest()
    {
        QFETCH(QString, peer);
        QFETCH(QByteArray, forwardedFor);
        QFETCH(QString, client);
        const ClientAddress clients({QHostAddress(QStringLiteral("10.0.0.5"))});
        QCOMPARE(clients.of(QHostAddress(peer), forwardedFor), QHostAddress(client));
    }
};

QTEST_GUILESS_MAIN(TestClientAddress)
#include "tst_clientaddress.moc"
