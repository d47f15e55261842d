// The per-address token bucket behind 429 answers.
#include "RateLimiter.h"

#include <QtTest>

using namespace Marquee;

class TestRateLimiter : public QObject
{
    Q_OBJECT

private slots:
    void burstThenSteadyRate()
    {
        qint64 now = 0;
        RateLimiter limiter({10, 30}, [&now] { return now; });
        const QHostAddress client(QStringLiteral("192.0.2.7"));
        for (int i = 0; i < 30; ++i)
            QVERIFY(limiter.allow(client));
        QVERIFY(!limiter.allow(client));
        QCOMPARE(limiter.retryAfter(client), 1);

        now += 100; // one token back at 10 per second
        QVERIFY(limiter.allow(client));
        QVERIFY(!limiter.allow(client));

        now += 60'000; // a long pause refills only up to the burst
        for (int i = 0; i < 30; ++i)
            QVERIFY(limiter.allow(client));
        QVERIFY(!limiter.allow(client));
    }

    void addressesAreIndependent()
    {
        qint64 now = 0;
        RateLimiter limiter({1, 2}, [&now] { return now; });
        const QHostAddress greedy(QStringLiteral("192.0.2.1"));
        const QHostAddress other(QStringLiteral("2001:db8::1"));
        QVERIFY(limiter.allow(greedy));
        QVERIFY(limiter.allow(greedy));
        QVERIFY(!limiter.allow(greedy));
        QVERIFY(limiter.allow(other));
        QCOMPARE(limiter.retryAfter(greedy), 1);
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
