// The fan-out observer's clock (FanOutProgress): reported once, when the
// last sender thread is through, with the latest moment any of them was.
#include "FanOutProgress.h"

#include <QtTest>

#include <thread>
#include <vector>

using namespace Marquee;
using namespace std::chrono;

class TestFanOutProgress : public QObject
{
    Q_OBJECT

private slots:
    void reportsOnceWhenTheLastSenderIsDone()
    {
        int reports = 0;
        microseconds took{-1};
        const auto start = FanOutProgress::Clock::now();
        FanOutProgress progress(start, 3, [&](microseconds t) {
            ++reports;
            took = t;
        });
        progress.senderDone();
        progress.senderDone();
        QCOMPARE(reports, 0);
        progress.senderDone();
        QCOMPARE(reports, 1);
        QVERIFY(took >= microseconds(0));
        QVERIFY(took <= duration_cast<microseconds>(FanOutProgress::Clock::now() - start));
    }

    void manyThreadsOneReport()
    {
        constexpr int threads = 8;
        for (int round = 0; round < 200; ++round) {
            std::atomic<int> reports{0};
            FanOutProgress progress(
                FanOutProgress::Clock::now(), threads, [&](microseconds) { reports.fetch_add(1); });
            std::vector<std::thread> senders;
            for (int i = 0; i < threads; ++i)
                senders.emplace_back([&] { progress.senderDone(); });
            for (std::thread &sender : senders)
                sender.join();
            QCOMPARE(reports.load(), 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestFanOutProgress)
#include "tst_fanoutprogress.moc"
