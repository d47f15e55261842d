// Snapshots encoded once per event version: the channel's frame and the
// availability route's bytes are reused until the version moves, and never
// after.
#include "AvailabilityStore.h"
#include "SnapshotFrames.h"
#include "WebSocketFrame.h"

#include <QtTest>

using namespace Marquee;

namespace {

AvailabilityChange show(qint64 version, SeatState a1)
{
    return {QStringLiteral("show"), EventKind::Seated, version,
        {{QStringLiteral("A1"), a1}, {QStringLiteral("A2"), SeatState::Available}}, 0, 0};
}

qint64 versionIn(const QByteArray &frame)
{
    return Protocol::decodeChannelMessage(WebSocketFrame::payload(frame).toByteArray())->version;
}

} // namespace

class TestSnapshotFrames : public QObject
{
    Q_OBJECT

private slots:
    void reusedWithinAVersion()
    {
        AvailabilityStore store;
        store.load({show(5, SeatState::Available)});
        SnapshotFrames frames;
        const QByteArray first = frames.frame(store, QStringLiteral("show"));
        QCOMPARE(versionIn(first), 5);
        QVERIFY(frames.frame(store, QStringLiteral("show")).isSharedWith(first)); // not built again
        QCOMPARE(WebSocketFrame::payload(first),
            QByteArrayView(store.encodedSnapshot(QStringLiteral("show"))));
        QVERIFY(store.encodedSnapshot(QStringLiteral("show"))
                    .isSharedWith(store.encodedSnapshot(QStringLiteral("show"))));
    }

    void builtAgainForEachVersion()
    {
        AvailabilityStore store;
        store.load({show(5, SeatState::Available)});
        SnapshotFrames frames;
        const QByteArray before = frames.frame(store, QStringLiteral("show"));
        const QByteArray json = store.encodedSnapshot(QStringLiteral("show"));
        QVERIFY(store.apply({QStringLiteral("show"), EventKind::Seated, 6,
            {{QStringLiteral("A1"), SeatState::Held}}, 0, 0}));
        const QByteArray after = frames.frame(store, QStringLiteral("show"));
        QCOMPARE(versionIn(after), 6);
        QVERIFY(after.contains("\"A1\":\"held\""));
        QVERIFY(!store.encodedSnapshot(QStringLiteral("show")).isSharedWith(json));

        // A reload's full state (a newer version) too.
        store.replace(show(9, SeatState::Sold));
        QCOMPARE(versionIn(frames.frame(store, QStringLiteral("show"))), 9);
        QVERIFY(frames.frame(store, QStringLiteral("show")).contains("\"A1\":\"sold\""));
        QVERIFY(!before.isSharedWith(after));
    }

    void reloadingEverythingStartsOver()
    {
        // load() at the same version with other seats: no stale frame.
        AvailabilityStore store;
        store.load({show(5, SeatState::Available)});
        SnapshotFrames frames;
        QVERIFY(frames.frame(store, QStringLiteral("show")).contains("\"A1\":\"available\""));
        store.load({show(5, SeatState::Blocked)});
        QVERIFY(frames.frame(store, QStringLiteral("show")).contains("\"A1\":\"blocked\""));
    }

    void unknownEventsHaveNone()
    {
        AvailabilityStore store;
        SnapshotFrames frames;
        QVERIFY(frames.frame(store, QStringLiteral("nope")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSnapshotFrames)
#include "tst_snapshotframes.moc"
