// The addresses and networks an operator names with --metrics-allow.
#include "AddressRange.h"

#include <QtTest>

using namespace Marquee;

class TestAddressRange : public QObject
{
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("range"); ///< empty: refused
        QTest::newRow("ipv4 address") << "10.0.0.7"
                                      << "10.0.0.7/32";
        QTest::newRow("ipv4 network") << "10.0.0.0/8"
                                      << "10.0.0.0/8";
        QTest::newRow("host bits are dropped") << "10.1.2.3/16"
                                               << "10.1.0.0/16";
        QTest::newRow("spaces around") << " 192.0.2.0/24 "
                                       << "192.0.2.0/24";
        QTest::newRow("ipv6 address") << "2001:db8::1"
                                      << "2001:db8::1/128";
        QTest::newRow("ipv6 network") << "fd00::/8"
                                      << "fd00::/8";
        QTest::newRow("v4-mapped is ipv4") << "::ffff:10.0.0.7"
                                           << "10.0.0.7/32";
        QTest::newRow("everything") << "0.0.0.0/0"
                                    << "0.0.0.0/0";
        QTest::newRow("host name") << "metrics.example"
                                   << "";
        QTest::newRow("empty") << ""
                               << "";
        QTest::newRow("prefix too long") << "10.0.0.0/33"
                                         << "";
        QTest::newRow("negative prefix") << "10.0.0.0/-1"
                                         << "";
        QTest::newRow("netmask") << "10.0.0.0/255.0.0.0"
                                 << "";
        QTest::newRow("no prefix") << "10.0.0.0/"
                                   << "";
        QTest::newRow("shortened ipv4 network") << "10/8"
                                                << "";
        QTest::newRow("shortened ipv4 address") << "10.1"
                                                << "";
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(QString, range);
        const auto parsed = AddressRange::parse(text);
        QCOMPARE(parsed.has_value(), !range.isEmpty());
        if (parsed)
            QCOMPARE(parsed->toString(), range);
    }

    void contains_data()
    {
        QTest::addColumn<QString>("range");
        QTest::addColumn<QString>("client");
        QTest::addColumn<bool>("inside");
        QTest::newRow("the address") << "192.0.2.7"
                                     << "192.0.2.7" << true;
        QTest::newRow("its neighbour") << "192.0.2.7"
                                       << "192.0.2.8" << false;
        QTest::newRow("in the network") << "10.0.0.0/8"
                                        << "10.200.3.4" << true;
        QTest::newRow("outside the network") << "10.0.0.0/8"
                                             << "11.0.0.1" << false;
        QTest::newRow("dual-stack socket") << "10.0.0.0/8"
                                           << "::ffff:10.0.0.9" << true;
        QTest::newRow("ipv6 in") << "fd00::/8"
                                 << "fd12::1" << true;
        QTest::newRow("ipv6 out") << "fd00::/8"
                                  << "fe80::1" << false;
        QTest::newRow("ipv4 range, ipv6 client") << "0.0.0.0/0"
                                                 << "2001:db8::1" << false;
    }

    void contains()
    {
        QFETCH(QString, range);
        QFETCH(QString, client);
        QFETCH(bool, inside);
        QCOMPARE(AddressRange::parse(range)->contains(QHostAddress(client)), inside);
    }
};

QTEST_GUILESS_MAIN(TestAddressRange)
#include "tst_addressrange.moc"
