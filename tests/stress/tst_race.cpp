// The checkout's promises under load and through a crash, against the real
// marquee-server executable: 200 concurrent customers race for 50 seats of
// breakfast-ii and the last 100 places of open-air; then the answers they
// got, the database, the availability API, a channel subscriber and
// `marquee-server --check` must all tell the same story. The crash run kills
// the server with SIGKILL mid-race and shows that nothing confirmed is lost
// and that expired holds are released at restart.
#include "ChannelClient.h"
#include "Clock.h"
#include "DemoSeeder.h"
#include "HttpClient.h"
#include "Race.h"
#include "RaceEvidence.h"
#include "ServerProcess.h"
#include "Sql.h"
#include "TestDatabases.h"

#include <QJsonArray>
#include <QtTest>
#include <algorithm>

using namespace Marquee;
using namespace Marquee::Test;
using Message = Protocol::ChannelMessage;

namespace {

const QString seated = QStringLiteral("breakfast-ii");
const QString general = QStringLiteral("open-air");
constexpr int setupPlaces = 400; ///< sold before the race: 100 of 500 remain
constexpr int racePlaces = 100;

/// 50 seats of breakfast-ii: rows B, C, D and E1, E2 (none of them blocked).
QStringList raceSeats()
{
    QStringList seats;
    for (const QChar row : {u'B', u'C', u'D'}) {
        for (int number = 1; number <= 16; ++number)
            seats.append(row + QString::number(number));
    }
    seats << QStringLiteral("E1") << QStringLiteral("E2");
    return seats;
}

/// The holds and orders made before the race, to tell them apart after.
struct Setup
{
    QStringList holds;
    QStringList orders;
};

QString expectedHoldState(const GrantedHold &hold)
{
    if (!hold.order.isEmpty())
        return QStringLiteral("sold");
    return hold.released ? QStringLiteral("released") : QStringLiteral("live");
}

} // namespace

class TestRace : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString problem = ServerProcess::programProblem();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
        m_backend
            = m_databases.postgres() ? QStringLiteral("postgresql") : QStringLiteral("sqlite");
    }

    void raceThroughTheApi()
    {
        const DatabaseConfig database = m_databases.fresh();
        ServerProcess server;
        QVERIFY2(server.start(database), qPrintable(server.error()));
        QVERIFY(!server.staffToken().isEmpty());
        HttpClient http(server.httpUrl());
        Setup setup;
        sellPlaces(http, server.staffToken(), setupPlaces, &setup);
        if (QTest::currentTestFailed())
            return;

        ChannelClient seatChannel(server.channelUrl(seated));
        ChannelClient placeChannel(server.channelUrl(general));
        QTRY_VERIFY(!seatChannel.messages().isEmpty() && !placeChannel.messages().isEmpty());
        QCOMPARE(placeChannel.messages().first().available, racePlaces);

        Race race(plan(server, 0x5eed));
        QElapsedTimer took;
        took.start();
        race.start();
        QTRY_VERIFY_WITH_TIMEOUT(race.finished(), 120'000);
        const RaceTally &tally = race.tally();
        qInfo("race on %s: %s in %lld ms", qPrintable(m_backend), qPrintable(tally.summary()),
            took.elapsed());

        // Every answer was a 201, 204 or an honest 409: no 5xx, no lost
        // connection, and no counter sale refused for a hold that was live.
        QVERIFY2(tally.unexpected.isEmpty(), qPrintable(tally.unexpected.join(u'\n')));
        QCOMPARE(tally.failedRequests, 0);
        QCOMPARE(tally.carts, race.plan().clients * race.plan().rounds);
        QCOMPARE(tally.holdsAttempted(), tally.carts);
        QCOMPARE(tally.holdsGranted() + tally.holdsRefused(), tally.holdsAttempted());
        QCOMPARE(tally.salesRefused, 0);
        QCOMPARE(tally.salesMade, tally.salesAttempted);
        QCOMPARE(tally.releasesDone, tally.releasesAttempted);
        // A race, not a parade: both kinds of hold were fought over.
        QVERIFY(tally.seatHoldsRefused > 0);
        QVERIFY(tally.placeHoldsRefused > 0);
        QVERIFY(tally.salesMade > 0);

        // The customers' own answers already rule out a double claim.
        const QString overlap = overlappingSeatHolds(race.holds());
        QVERIFY2(overlap.isEmpty(), qPrintable(overlap));
        QVERIFY(mostPlacesAtOnce(race.holds()) <= racePlaces);
        QSet<QString> soldSeats;
        int placesKept = 0;
        for (const GrantedHold &hold : race.holds()) {
            if (!hold.seated && !hold.released)
                placesKept += hold.quantity;
            if (hold.order.isEmpty())
                continue;
            for (const QString &seat : hold.seats) {
                QVERIFY2(!soldSeats.contains(seat),
                    qPrintable(QStringLiteral("%1 sold twice").arg(seat)));
                soldSeats.insert(seat);
            }
        }
        QVERIFY(placesKept <= racePlaces);

        // The API's availability, the subscriber that watched all along and
        // the database agree; the subscriber saw an unbroken sequence.
        const auto seatNow = availability(http, seated);
        const auto placeNow = availability(http, general);
        QVERIFY(seatNow && placeNow);
        QTRY_COMPARE(seatChannel.messages().last().version, seatNow->version);
        QTRY_COMPARE(placeChannel.messages().last().version, placeNow->version);
        QVERIFY(!seatChannel.closed() && !placeChannel.closed());
        const Replay seatView = replay(seatChannel.messages());
        const Replay placeView = replay(placeChannel.messages());
        QVERIFY2(seatView.problem.isEmpty(), qPrintable(seatView.problem));
        QVERIFY2(placeView.problem.isEmpty(), qPrintable(placeView.problem));
        QVERIFY(placeView.lowestAvailable >= 0);
        QCOMPARE(seatView.seats, seatNow->seats);
        QCOMPARE(placeView.available, placeNow->available);
        QCOMPARE(placeView.available, racePlaces - placesKept);

        Connection connection(database);
        QVERIFY2(connection.isOpen(), qPrintable(connection.error()));
        const Stored stored = readDatabase(connection, general);
        QCOMPARE(seatView.seats, stored.availabilityOf(seated).seats);
        QCOMPARE(seatView.version, stored.availabilityOf(seated).version);
        QCOMPARE(placeView.available, stored.availabilityOf(general).available);
        QCOMPARE(placeView.version, stored.availabilityOf(general).version);
        compareWithDatabase(race, setup, stored);
        if (QTest::currentTestFailed())
            return;
        qInfo(
            "race on %s: database has %lld holds (%d race), %lld orders (%d race), %d seat claims;"
            " channel updates seen: %d seated, %d GA; GA kept by the race %d of %d",
            qPrintable(m_backend), qint64(stored.holds.size()), tally.holdsGranted(),
            qint64(stored.orders.size()), tally.salesMade, stored.seatClaimRows, seatView.updates,
            placeView.updates, placesKept, racePlaces);

        const auto check = ServerProcess::check(database);
        QVERIFY2(check.exitCode == 0, qPrintable(check.output));
        qInfo("%s", qPrintable(check.output.trimmed()));
    }

    void crashInTheMiddle()
    {
        const DatabaseConfig database = m_databases.fresh();
        const QStringList shortHolds{QStringLiteral("--hold-seconds"), QStringLiteral("10")};
        ServerProcess server;
        QVERIFY2(server.start(database, shortHolds), qPrintable(server.error()));
        const QString staffToken = server.staffToken();
        Setup setup;
        {
            HttpClient http(server.httpUrl());
            sellPlaces(http, staffToken, setupPlaces, &setup);
            if (QTest::currentTestFailed())
                return;
        }

        RacePlan racePlan = plan(server, 0xc4a54);
        racePlan.rounds = 5;
        racePlan.releasePercent = 15;
        Race race(racePlan);
        // SIGKILL from inside an answer handler, while the other customers'
        // requests are in flight: once every customer has had a first hold
        // answered and some sales are confirmed, long before the last round.
        const int killAfter = racePlan.clients * 2;
        constexpr int salesBeforeKill = 10;
        RaceTally atKill;
        connect(&race, &Race::progress, this, [&] {
            if (server.running() && race.tally().answers() >= killAfter
                && race.tally().salesMade >= salesBeforeKill) {
                server.kill();
                atKill = race.tally();
            }
        });
        race.start();
        QTRY_VERIFY_WITH_TIMEOUT(race.finished(), 120'000);
        QVERIFY(!server.running());
        const RaceTally &tally = race.tally();
        QVERIFY2(tally.unexpected.isEmpty(), qPrintable(tally.unexpected.join(u'\n')));
        QVERIFY2(tally.failedRequests > 0, "the kill did not hit the race in the middle");

        // What the customers were told before the lights went out.
        QList<GrantedHold> confirmed;
        for (const GrantedHold &hold : race.holds()) {
            if (!hold.order.isEmpty())
                confirmed.append(hold);
        }
        QVERIFY(!confirmed.isEmpty());

        QStringList leftLive;
        {
            Connection connection(database);
            QVERIFY2(connection.isOpen(), qPrintable(connection.error()));
            Sql::Rows live = Sql::exec(
                connection.db(), QStringLiteral("SELECT id FROM holds WHERE state = 'live'"));
            while (live.next())
                leftLive.append(live.value(0).toString());
        }
        QVERIFY2(!leftLive.isEmpty(), "the crash left no hold behind to expire");
        // Straight after the crash, before any hold is overdue, the data is
        // already consistent: a killed server leaves no half-done change.
        const auto afterCrash = ServerProcess::check(database);
        QVERIFY2(afterCrash.exitCode == 0, qPrintable(afterCrash.output));

        // Let every hold run out while the server is down, so that the
        // restart has to release them itself.
        QTRY_VERIFY_WITH_TIMEOUT(liveUnexpiredHolds(database) == 0, 60'000);

        QVERIFY2(server.start(database, shortHolds), qPrintable(server.error()));
        HttpClient http(server.httpUrl());
        QTRY_VERIFY_WITH_TIMEOUT(heldSeats(http) == 0, 30'000);

        Connection connection(database);
        QVERIFY2(connection.isOpen(), qPrintable(connection.error()));
        QTRY_COMPARE(
            connection.count(QStringLiteral("SELECT COUNT(*) FROM holds WHERE state = 'live'")), 0);
        const Stored stored = readDatabase(connection, general);
        QCOMPARE(stored.gaHeld, 0);
        for (const QString &hold : std::as_const(leftLive))
            QCOMPARE(stored.holds.value(hold), QStringLiteral("released"));

        // No confirmed sale is lost: its order is paid, owns its seats and
        // has its tickets.
        int confirmedPlaces = 0;
        for (const GrantedHold &hold : std::as_const(confirmed)) {
            QCOMPARE(stored.orders.value(hold.order), QStringLiteral("paid"));
            QCOMPARE(stored.holds.value(hold.id), QStringLiteral("sold"));
            QCOMPARE(stored.orderLines.value(hold.order), hold.tickets);
            for (const QString &seat : hold.seats)
                QCOMPARE(stored.claims.value(seat), QStringLiteral("sold ") + hold.order);
            if (!hold.seated)
                confirmedPlaces += hold.quantity;
        }
        // Sales that were in flight at the kill may or may not have
        // committed; the database has at least every confirmed one.
        QVERIFY(stored.gaSold >= setupPlaces + confirmedPlaces);
        QVERIFY(stored.gaSold <= setupPlaces + racePlaces);
        const auto placeNow = availability(http, general);
        QVERIFY(placeNow);
        QCOMPARE(placeNow->available, 500 - stored.gaSold);
        int paidInDatabase = 0;
        for (auto it = stored.orders.cbegin(); it != stored.orders.cend(); ++it)
            paidInDatabase
                += it.value() == QLatin1String("paid") && !setup.orders.contains(it.key()) ? 1 : 0;

        const auto check = ServerProcess::check(database);
        QVERIFY2(check.exitCode == 0, qPrintable(check.output));
        qInfo("crash on %s: killed after %d answers (%s); in the end: %s; sales confirmed with 201:"
              " %d (paid race orders in the database %d); holds left live %lld, all released at "
              "restart",
            qPrintable(m_backend), atKill.answers(), qPrintable(atKill.summary()),
            qPrintable(tally.summary()), int(confirmed.size()), paidInDatabase,
            qint64(leftLive.size()));
    }

    void checkCommandExitCodes()
    {
        const DatabaseConfig database = m_databases.fresh();
        {
            Connection connection(database);
            QVERIFY2(connection.isOpen(), qPrintable(connection.error()));
            ManualClock clock;
            QVERIFY(DemoSeeder::seed(connection.db(), clock));
        }
        auto result = ServerProcess::check(database);
        QVERIFY2(result.exitCode == 0, qPrintable(result.output));
        QVERIFY(result.output.contains(QStringLiteral("No violations.")));
        QVERIFY(result.output.contains(
            QStringLiteral("open-air (general admission): capacity 500: 500 available")));

        {
            Connection connection(database);
            Sql::exec(connection.db(),
                QStringLiteral("UPDATE events SET ga_sold = 3 WHERE slug = 'open-air'"));
        }
        result = ServerProcess::check(database);
        QVERIFY2(result.exitCode == 1, qPrintable(result.output));
        QVERIFY2(result.output.contains(
                     QStringLiteral("ga-sold-mismatch: open-air: 3 places are counted as sold")),
            qPrintable(result.output));

        result = ServerProcess::runServer(
            {QStringLiteral("--check"), QStringLiteral("--no-such-option")});
        QCOMPARE(result.exitCode, 2);
        DatabaseConfig missing = database;
        if (missing.backend == DatabaseConfig::Backend::Sqlite)
            missing.path += QStringLiteral(".missing");
        else
            missing.database = QStringLiteral("no_such_database");
        result = ServerProcess::check(missing);
        QVERIFY2(result.exitCode == 2, qPrintable(result.output));
        if (missing.backend == DatabaseConfig::Backend::Sqlite)
            QVERIFY(!QFile::exists(missing.path)); // a typo creates nothing
    }

private:
    RacePlan plan(ServerProcess &server, quint32 seed) const
    {
        RacePlan racePlan;
        racePlan.base = server.httpUrl();
        racePlan.staffToken = server.staffToken();
        racePlan.seats = raceSeats();
        racePlan.seed = seed;
        return racePlan;
    }

    /// Sells \a places of open-air at the counter, 10 per hold and 10 holds
    /// per cart (the API's limits), so that exactly 500 - places remain.
    void sellPlaces(HttpClient &http, const QString &staffToken, int places, Setup *setup)
    {
        int left = places;
        while (left > 0) {
            const auto [cart, token] = http.newCart();
            QVERIFY(!token.isEmpty());
            for (int i = 0; i < 10 && left > 0; ++i) {
                const int quantity = qMin(10, left);
                const auto hold = http.post(QStringLiteral("/api/v1/carts/%1/holds").arg(cart),
                    QJsonObject{
                        {QStringLiteral("event"), general}, {QStringLiteral("quantity"), quantity}},
                    token);
                QCOMPARE(hold.status, 201);
                setup->holds.append(hold.json().value(QLatin1String("hold")).toString());
                left -= quantity;
            }
            const auto sale = http.sellCash(cart, staffToken);
            QVERIFY2(sale.status == 201, sale.body.constData());
            setup->orders.append(sale.json().value(QLatin1String("order")).toString());
        }
    }

    /// Every row the race wrote is one the customers were told about, and
    /// the other way round.
    void compareWithDatabase(const Race &race, const Setup &setup, const Stored &stored)
    {
        QHash<QString, QString> expectedHolds;
        QHash<QString, QString> expectedOrders;
        QHash<QString, QString> expectedClaims;
        int gaHeld = 0;
        int gaSold = setupPlaces;
        for (const QString &hold : setup.holds)
            expectedHolds.insert(hold, QStringLiteral("sold"));
        for (const QString &order : setup.orders)
            expectedOrders.insert(order, QStringLiteral("paid"));
        for (const GrantedHold &hold : race.holds()) {
            const QString state = expectedHoldState(hold);
            expectedHolds.insert(hold.id, state);
            if (!hold.order.isEmpty()) {
                expectedOrders.insert(hold.order, QStringLiteral("paid"));
                QCOMPARE(stored.orderLines.value(hold.order), hold.tickets);
            }
            for (const QString &seat : hold.seats) {
                if (state == QLatin1String("sold"))
                    expectedClaims.insert(seat, QStringLiteral("sold ") + hold.order);
                else if (state == QLatin1String("live"))
                    expectedClaims.insert(seat, QStringLiteral("held ") + hold.id);
            }
            if (!hold.seated && state == QLatin1String("live"))
                gaHeld += hold.quantity;
            if (!hold.seated && state == QLatin1String("sold"))
                gaSold += hold.quantity;
        }
        QCOMPARE(stored.holds.size(), setup.holds.size() + race.tally().holdsGranted());
        QCOMPARE(stored.orders.size(), setup.orders.size() + race.tally().salesMade);
        QCOMPARE(stored.holds, expectedHolds);
        QCOMPARE(stored.orders, expectedOrders);
        QCOMPARE(stored.claims, expectedClaims);
        QCOMPARE(stored.gaHeld, gaHeld);
        QCOMPARE(stored.gaSold, gaSold);
        QVERIFY(gaHeld + gaSold - setupPlaces <= racePlaces);
    }

    static std::optional<Message> availability(HttpClient &http, const QString &event)
    {
        const auto response = http.get(QStringLiteral("/api/v1/events/%1/availability").arg(event));
        if (response.status != 200)
            return std::nullopt;
        return Protocol::decodeChannelMessage(response.body);
    }

    static int heldSeats(HttpClient &http)
    {
        const auto snapshot = availability(http, seated);
        if (!snapshot)
            return -1;
        return int(std::count(snapshot->seats.cbegin(), snapshot->seats.cend(), SeatState::Held));
    }

    static qint64 liveUnexpiredHolds(const DatabaseConfig &database)
    {
        const Connection connection(database);
        if (!connection.isOpen())
            return -1;
        return connection.count(
            QStringLiteral("SELECT COUNT(*) FROM holds WHERE state = 'live' AND expires_at > ?"),
            {isoUtc(QDateTime::currentDateTimeUtc())});
    }

    TestDatabases m_databases;
    QString m_backend;
};

QTEST_GUILESS_MAIN(TestRace)
#include "tst_race.moc"
