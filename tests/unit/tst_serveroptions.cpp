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
