// The command line contract (ARCHITECTURE.md) as ServerOptions reads it.
#include "ServerOptions.h"

#include <QtTest>

using namespace Marquee;

namespace {

std::optional<ServerOptions> parse(const QStringList &arguments, QString *error)
{
    return ServerOptions::parse(QStringList{QStringLiteral("marquee-server"),
                                    QStringLiteral("--db"), QStringLiteral("sqlite:/tmp/unused.db")}
            + arguments,
        error);
}

} // namespace

class TestServerOptions : public QObject
{
    Q_OBJECT

private slots:
    void loopbackIsExemptUnlessTurnedOff()
    {
        QString error;
        QVERIFY(parse({}, &error)->trustLoopback);
        const auto strict = parse({QStringLiteral("--no-loopback-exemption")}, &error);
        QVERIFY2(strict, qPrintable(error));
        QVERIFY(!strict->trustLoopback);
    }

    void trustedProxiesRepeat()
    {
        QString error;
        QVERIFY(parse({}, &error)->trustedProxies.isEmpty());
        const auto options = parse({QStringLiteral("--trusted-proxy"), QStringLiteral("127.0.0.1"),
                                       QStringLiteral("--trusted-proxy"), QStringLiteral("::1")},
            &error);
        QVERIFY2(options, qPrintable(error));
        QCOMPARE(options->trustedProxies,
            (QList<QHostAddress>{
                QHostAddress(QStringLiteral("127.0.0.1")), QHostAddress(QStringLiteral("::1"))}));
    }

    void trustedProxyMustBeAnAddress()
    {
        QString error;
        QVERIFY(
            !parse({QStringLiteral("--trusted-proxy"), QStringLiteral("proxy.example")}, &error));
        QVERIFY(error.contains(QLatin1String("--trusted-proxy")));
    }

    void metricsAllowRepeatsAndTakesLists()
    {
        QString error;
        QVERIFY(parse({}, &error)->metricsAllowed.isEmpty());
        const auto options
            = parse({QStringLiteral("--metrics-allow"), QStringLiteral("10.0.0.0/8, 192.0.2.7"),
                        QStringLiteral("--metrics-allow"), QStringLiteral("fd00::/8")},
                &error);
        QVERIFY2(options, qPrintable(error));
        QStringList ranges;
        for (const AddressRange &range : options->metricsAllowed)
            ranges.append(range.toString());
        QCOMPARE(ranges,
            (QStringList{QStringLiteral("10.0.0.0/8"), QStringLiteral("192.0.2.7/32"),
                QStringLiteral("fd00::/8")}));
    }

    void metricsAllowMustBeAddresses()
    {
        QString error;
        QVERIFY(!parse(
            {QStringLiteral("--metrics-allow"), QStringLiteral("10.0.0.0/8,prometheus")}, &error));
        QVERIFY2(error.contains(QLatin1String("--metrics-allow"))
                && error.contains(QLatin1String("prometheus")),
            qPrintable(error));
    }

    void fairnessLimitsHaveDefaultsAndFlags()
    {
        QString error;
        const auto defaults = parse({}, &error);
        QCOMPARE(defaults->readsPerSecond, 50.0);
        QCOMPARE(defaults->cartsPerMinute, 10);
        QCOMPARE(defaults->clientHoldLimit, 40);
        QCOMPARE(defaults->storageQueueLimit, 256);
        const auto set = parse(
            {QStringLiteral("--read-limit"), QStringLiteral("7"), QStringLiteral("--cart-limit"),
                QStringLiteral("0"), QStringLiteral("--client-hold-limit"), QStringLiteral("100"),
                QStringLiteral("--storage-queue"), QStringLiteral("32")},
            &error);
        QVERIFY2(set, qPrintable(error));
        QCOMPARE(set->readsPerSecond, 7.0);
        QCOMPARE(set->cartsPerMinute, 0);
        QCOMPARE(set->clientHoldLimit, 100);
        QCOMPARE(set->storageQueueLimit, 32);
    }

    void channelThreadsDefaultToOnePerCore()
    {
        QString error;
        QCOMPARE(parse({}, &error)->channelLimits.senderThreads, 0);
        const auto set = parse({QStringLiteral("--channel-threads"), QStringLiteral("3")}, &error);
        QVERIFY2(set, qPrintable(error));
        QCOMPARE(set->channelLimits.senderThreads, 3);
    }

    void fairnessLimitsRefuseNonsense_data()
    {
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QString>("value");
        QTest::newRow("negative reads") << "--read-limit"
                                        << "-1";
        QTest::newRow("carts not a number") << "--cart-limit"
                                            << "ten";
        QTest::newRow("hold cap fraction") << "--client-hold-limit"
                                           << "2.5";
        QTest::newRow("no storage queue") << "--storage-queue"
                                          << "0";
        QTest::newRow("negative channel threads") << "--channel-threads"
                                                  << "-2";
        QTest::newRow("a thread per subscriber") << "--channel-threads"
                                                 << "5000";
        QTest::newRow("a payment window of a second") << "--payment-seconds"
                                                      << "1";
        QTest::newRow("mail over HTTP") << "--smtp"
                                        << "http://127.0.0.1:25";
        QTest::newRow("a password on the command line") << "--smtp"
                                                        << "smtp://ada:secret@127.0.0.1:25";
        QTest::newRow("a public URL that is none") << "--public-url"
                                                   << "http://exa mple.org";
    }

    void fairnessLimitsRefuseNonsense()
    {
        QFETCH(QString, flag);
        QFETCH(QString, value);
        QString error;
        QVERIFY(!parse({flag, value}, &error));
        QVERIFY2(error.contains(flag), qPrintable(error));
    }

    void paymentAndMailHaveDefaultsAndFlags()
    {
        QString error;
        const auto plain = parse({}, &error);
        QCOMPARE(plain->paymentSeconds, 600);
        QVERIFY(plain->smtp.isEmpty());
        const auto set = parse(
            {QStringLiteral("--payment-seconds"), QStringLiteral("30"), QStringLiteral("--smtp"),
                QStringLiteral("smtp://mailer@127.0.0.1:2525"), QStringLiteral("--mail-from"),
                QStringLiteral("Box Office <bo@example.org>"), QStringLiteral("--public-url"),
                QStringLiteral("https://tickets.example.org/")},
            &error);
        QVERIFY2(set, qPrintable(error));
        QCOMPARE(set->paymentSeconds, 30);
        QCOMPARE(set->smtp.port(), 2525);
        QCOMPARE(set->smtp.userName(), QStringLiteral("mailer"));
        QCOMPARE(set->mailFrom, QStringLiteral("Box Office <bo@example.org>"));
        // Links are made by appending a path: no trailing slash.
        QCOMPARE(set->publicUrl, QStringLiteral("https://tickets.example.org"));
    }

    void writeLimitStillParses()
    {
        QString error;
        QCOMPARE(
            parse({QStringLiteral("--write-limit"), QStringLiteral("5")}, &error)->writesPerSecond,
            5.0);
        QVERIFY(!parse({QStringLiteral("--write-limit"), QStringLiteral("-1")}, &error));
    }
};

QTEST_GUILESS_MAIN(TestServerOptions)
#include "tst_serveroptions.moc"
