// The in-memory availability that snapshots and updates are served from.
#include "AvailabilityStore.h"

#include <QtTest>

using namespace Marquee;

class TestAvailabilityStore : public QObject
{
    Q_OBJECT

private slots:
    void appliesInOrderAndIgnoresStale()
    {
        AvailabilityStore store;
        AvailabilityChange seated{QStringLiteral("show"), EventKind::Seated, 5,
            {{QStringLiteral("A1"), SeatState::Available},
                {QStringLiteral("A2"), SeatState::Available}},
            0, 0};
        store.load({seated});

        const auto update = store.apply({QStringLiteral("show"), EventKind::Seated, 6,
            {{QStringLiteral("A1"), SeatState::Held}}, 0, 0});
        QVERIFY(update);
        QCOMPARE(update->type, Protocol::ChannelMessage::Type::Seats);
        QCOMPARE(update->version, 6);
        QCOMPARE(update->seats.size(), 1); // only what changed

        // A duplicate or older change is not announced again.
        QVERIFY(!store.apply({QStringLiteral("show"), EventKind::Seated, 6,
            {{QStringLiteral("A1"), SeatState::Sold}}, 0, 0}));
        QVERIFY(!store.apply({QStringLiteral("nope"), EventKind::Seated, 9, {}, 0, 0}));

        const auto snapshot = store.snapshot(QStringLiteral("show"));
        QVERIFY(snapshot);
        QCOMPARE(snapshot->version, 6);
        QCOMPARE(snapshot->seats.value(QStringLiteral("A1")), SeatState::Held);
        QCOMPARE(snapshot->seats.value(QStringLiteral("A2")), SeatState::Available);
        QVERIFY(!store.snapshot(QStringLiteral("nope")));
    }

    void generalCountsAreAbsolute()
    {
        AvailabilityStore store;
        store.load({{QStringLiteral("ga"), EventKind::General, 0, {}, 500, 500}});
        const auto update
            = store.apply({QStringLiteral("ga"), EventKind::General, 1, {}, 497, 500});
        QVERIFY(update);
        QCOMPARE(update->type, Protocol::ChannelMessage::Type::Availability);
        QCOMPARE(update->available, 497);
        QCOMPARE(store.snapshot(QStringLiteral("ga"))->available, 497);
    }
};

QTEST_GUILESS_MAIN(TestAvailabilityStore)
#include "tst_availabilitystore.moc"
