// The metrics registry, its latency histograms and the Prometheus text
// that GET /metrics serves.
#include "LatencyHistogram.h"
#include "Metrics.h"
#include "MetricsText.h"
#include "PrometheusText.h"

#include <QtTest>
#include <thread>
#include <vector>

using namespace Marquee;
using namespace std::chrono_literals;

namespace {

const QDateTime started(QDate(2026, 12, 1), QTime(18, 0), Qt::UTC);

/// The registry in a state every figure of which is known: its text is
/// tests/data/metrics/known-state.prom.
void record(Metrics &metrics)
{
    for (const int status : {201, 201, 404, 503, 101, 0, 600})
        metrics.countAnswer(status);
    metrics.countHoldsCreated(3);
    metrics.countHoldsReleased(Metrics::Release::ByCart);
    metrics.countHoldsReleased(Metrics::Release::Expired, 2);
    metrics.requestLatency().observe(400us);
    metrics.requestLatency().observe(1500us);
    metrics.requestLatency().observe(2s);
    metrics.commitLatency().observe(500us);
    metrics.addGauge(QByteArrayLiteral("marquee_test_connections"),
        QByteArrayLiteral("Open test connections."), [] { return 7.0; });
    metrics.addGaugeFamily(QByteArrayLiteral("marquee_test_subscribers"),
        QByteArrayLiteral("Help with a \\ and a\nline feed."), [] {
            return QList<Metrics::Sample>{
                {{{QByteArrayLiteral("event"), QStringLiteral("breakfast-ii")}}, 3},
                {{{QByteArrayLiteral("event"), QStringLiteral("say \"hi\"\\")}}, 0.25}};
        });
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private slots:
    void bucketOfADuration_data()
    {
        QTest::addColumn<qint64>("micros");
        QTest::addColumn<int>("bucket");
        QTest::newRow("zero") << qint64(0) << 0;
        QTest::newRow("negative counts as zero") << qint64(-40) << 0;
        QTest::newRow("0.5 ms is in le=0.0005") << qint64(500) << 0;
        QTest::newRow("just above 0.5 ms") << qint64(501) << 1;
        QTest::newRow("1 ms") << qint64(1000) << 1;
        QTest::newRow("3 ms") << qint64(3000) << 3;
        QTest::newRow("25 ms") << qint64(25'000) << 5;
        QTest::newRow("999 ms") << qint64(999'000) << 10;
        QTest::newRow("1 s is in le=1") << qint64(1'000'000) << 10;
        QTest::newRow("above 1 s is +Inf") << qint64(1'000'001) << 11;
        QTest::newRow("an hour") << qint64(3'600'000'000) << 11;
    }

    void bucketOfADuration()
    {
        QFETCH(qint64, micros);
        QFETCH(int, bucket);
        QCOMPARE(LatencyHistogram::bucketOf(std::chrono::microseconds(micros)), bucket);
        LatencyHistogram histogram;
        histogram.observe(std::chrono::microseconds(micros));
        const LatencyHistogram::Snapshot snapshot = histogram.snapshot();
        for (int i = 0; i < LatencyHistogram::Buckets; ++i)
            QCOMPARE(snapshot.perBucket[size_t(i)], quint64(i == bucket ? 1 : 0));
        QCOMPARE(snapshot.sumMicros, quint64(std::max<qint64>(0, micros)));
    }

    void cumulativeCounts()
    {
        LatencyHistogram histogram;
        for (const std::chrono::microseconds took :
            {100us, 700us, 700us, std::chrono::microseconds(30ms), std::chrono::microseconds(5s)})
            histogram.observe(took);
        const LatencyHistogram::Snapshot snapshot = histogram.snapshot();
        QCOMPARE(snapshot.cumulative(0), quint64(1)); // <= 0.5 ms
        QCOMPARE(snapshot.cumulative(1), quint64(3)); // <= 1 ms
        QCOMPARE(snapshot.cumulative(5), quint64(3)); // <= 25 ms
        QCOMPARE(snapshot.cumulative(6), quint64(4)); // <= 50 ms
        QCOMPARE(snapshot.cumulative(10), quint64(4)); // <= 1 s
        QCOMPARE(snapshot.count(), quint64(5));
        QCOMPARE(snapshot.sumMicros, quint64(100 + 700 + 700 + 30'000 + 5'000'000));
    }

    void observationsFromManyThreadsAreAllCounted()
    {
        // What the storage thread, sender threads and the socket thread do at
        // once; with a lock-free histogram nothing may be lost.
        LatencyHistogram histogram;
        constexpr int threads = 4;
        constexpr int each = 20'000;
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&histogram, t] {
                for (int i = 0; i < each; ++i)
                    histogram.observe(std::chrono::microseconds((i % 4) * 1000 + t));
            });
        }
        for (std::thread &worker : workers)
            worker.join();
        const LatencyHistogram::Snapshot snapshot = histogram.snapshot();
        QCOMPARE(snapshot.count(), quint64(threads * each));
        QCOMPARE(snapshot.perBucket[0], quint64(threads * each / 4)); // 0-3 us
        quint64 sum = 0;
        for (int t = 0; t < threads; ++t) {
            for (int i = 0; i < each; ++i)
                sum += quint64((i % 4) * 1000 + t);
        }
        QCOMPARE(snapshot.sumMicros, sum);
    }

    void answersAreCountedByClass()
    {
        Metrics metrics(started);
        for (const int status : {100, 101, 200, 204, 304, 400, 404, 429, 500, 503, 503})
            metrics.countAnswer(status);
        metrics.countAnswer(0);
        metrics.countAnswer(99);
        metrics.countAnswer(600);
        QCOMPARE(metrics.answers(1), quint64(2));
        QCOMPARE(metrics.answers(2), quint64(2));
        QCOMPARE(metrics.answers(3), quint64(1));
        QCOMPARE(metrics.answers(4), quint64(3));
        QCOMPARE(metrics.answers(5), quint64(3));
        QCOMPARE(metrics.answers(6), quint64(0));
    }

    void textOfAKnownState()
    {
        Metrics metrics(started);
        record(metrics);
        const QByteArray text = MetricsText::render(metrics, started.addMSecs(90'500));
        QFile fixture(QFINDTESTDATA("../data/metrics/known-state.prom"));
        QVERIFY2(fixture.open(QIODevice::ReadOnly), qPrintable(fixture.fileName()));
        const QByteArray knownText = fixture.readAll();
        // Line by line first: a difference then names its line.
        const QList<QByteArray> got = text.split('\n');
        const QList<QByteArray> want = knownText.split('\n');
        for (qsizetype i = 0; i < std::min(got.size(), want.size()); ++i)
            QCOMPARE(got.at(i), want.at(i));
        QCOMPARE(text, knownText);
    }

    void textParsesAsAScraperReadsIt()
    {
        Metrics metrics(started);
        record(metrics);
        QString error;
        const auto parsed
            = Test::PrometheusText::parse(MetricsText::render(metrics, started.addSecs(5)), &error);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(
            parsed->type(QStringLiteral("marquee_holds_created_total")), QStringLiteral("counter"));
        QCOMPARE(parsed->value(QStringLiteral("marquee_test_subscribers"),
                     {{QStringLiteral("event"), QStringLiteral("say \"hi\"\\")}}),
            0.25);
        QCOMPARE(parsed->value(QStringLiteral("marquee_http_request_duration_seconds_count")), 3.0);
    }

    void theReaderRefusesBrokenText_data()
    {
        // The reader the integration and bench tests rely on must be able to fail.
        QTest::addColumn<QByteArray>("text");
        const QByteArray type = "# TYPE h histogram\n";
        QTest::newRow("no TYPE") << QByteArray("x 1\n");
        QTest::newRow("no value") << QByteArray("# TYPE x gauge\nx\n");
        QTest::newRow("bad label") << QByteArray("# TYPE x gauge\nx{a=b} 1\n");
        QTest::newRow("no final line feed") << QByteArray("# TYPE x gauge\nx 1");
        QTest::newRow("falling buckets")
            << type + "h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n";
        QTest::newRow("+Inf is not _count")
            << type + "h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n";
        QTest::newRow("no +Inf") << type + "h_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n";
        QTest::newRow("no _sum") << type + "h_bucket{le=\"+Inf\"} 1\nh_count 1\n";
    }

    void theReaderRefusesBrokenText()
    {
        QFETCH(QByteArray, text);
        QString error;
        QVERIFY(!Test::PrometheusText::parse(text, &error));
        QVERIFY(!error.isEmpty());
    }

    void numbersAsPrometheusReadsThem()
    {
        QCOMPARE(MetricsText::number(0), QByteArray("0"));
        QCOMPARE(MetricsText::number(1796148000), QByteArray("1796148000"));
        QCOMPARE(MetricsText::number(0.25), QByteArray("0.25"));
        QCOMPARE(MetricsText::number(std::numeric_limits<double>::infinity()), QByteArray("+Inf"));
        QCOMPARE(MetricsText::number(std::nan("")), QByteArray("NaN"));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
