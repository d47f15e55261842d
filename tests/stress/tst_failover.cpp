// Three real marquee-server processes on one PostgreSQL, as an operator runs
// them behind a load balancer. The one that made a hold is killed with
// SIGKILL before the hold expires: another releases it at its expiry (it
// heard of the hold from its notice; nobody polls), once, and the third's
// subscribers see it. Three started at once on a new database seed it once.
#include "ChannelClient.h"
#include "HttpClient.h"
#include "ServerProcess.h"
#include "TestDatabases.h"

#include <QJsonArray>
#include <QtTest>
#include <array>

using namespace Marquee;
using namespace Marquee::Test;

class TestFailover : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString problem = ServerProcess::programProblem();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
        QVERIFY2(m_databases.postgres(), "runs on PostgreSQL only");
    }

    void holdOfAKilledServerIsReleasedOnTime()
    {
        const DatabaseConfig database = m_databases.fresh();
        std::array<ServerProcess, 3> servers;
        for (ServerProcess &server : servers) {
            QVERIFY2(
                server.start(database, {QStringLiteral("--hold-seconds"), QStringLiteral("10")}),
                qPrintable(server.error()));
        }
        ChannelClient seatsOnC(servers[2].channelUrl(QStringLiteral("breakfast-ii")));
        ChannelClient placesOnC(servers[2].channelUrl(QStringLiteral("open-air")));
        QTRY_COMPARE(seatsOnC.messages().size(), 1);
        QTRY_COMPARE(placesOnC.messages().size(), 1);

        HttpClient http(servers[0].httpUrl());
        const auto [cart, token] = http.newCart();
        const auto seat = http.holdSeats(cart, token, QStringLiteral("breakfast-ii"),
            {QStringLiteral("D5"), QStringLiteral("D6")});
        QCOMPARE(seat.status, 201);
        QCOMPARE(http.holdPlaces(cart, token, QStringLiteral("open-air"), 4).status, 201);
        const QDateTime expiresAt = QDateTime::fromString(
            seat.json().value(QLatin1String("expiresAt")).toString(), Qt::ISODate);
        QTRY_COMPARE(placesOnC.messages().last().available, 496);
        QTRY_COMPARE(seatsOnC.messages().size(), 2);

        servers[0].kill();
        QTRY_COMPARE_WITH_TIMEOUT(placesOnC.messages().last().available, 500, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(seatsOnC.messages().size(), 3, 5000);
        const QDateTime seen = QDateTime::currentDateTimeUtc();
        QVERIFY2(seen >= expiresAt, "released before its expiry");
        QVERIFY2(seen <= expiresAt.addSecs(5), "released late");
        const auto &released = seatsOnC.messages().last();
        QCOMPARE(released.seats.value(QStringLiteral("D5")), SeatState::Available);
        QCOMPARE(released.seats.value(QStringLiteral("D6")), SeatState::Available);
        QCOMPARE(released.version, seatsOnC.messages().at(1).version + 1);
        // Once: one announcement per release, nothing after it.
        QCOMPARE(placesOnC.messages().size(), 3);
        QVERIFY(!QTest::qWaitFor([&] { return seatsOnC.messages().size() > 3; }, 1500));

        const auto check = ServerProcess::check(database);
        QVERIFY2(check.exitCode == 0, qPrintable(check.output));
    }

    void startedTogetherOnANewDatabase()
    {
        // All three seed the demo at once: one creates the events and the
        // accounts, the others wait for it and serve the same ones.
        const DatabaseConfig database = m_databases.fresh();
        std::array<ServerProcess, 3> servers;
        for (ServerProcess &server : servers)
            server.launch(database);
        QStringList passwords;
        for (ServerProcess &server : servers) {
            QVERIFY2(server.waitUntilServing(), qPrintable(server.error()));
            if (!server.clerkPassword().isEmpty())
                passwords.append(server.clerkPassword());
        }
        QCOMPARE(passwords.size(), 1);
        for (ServerProcess &server : servers) {
            HttpClient http(server.httpUrl());
            // breakfast-ii, open-air and the arena, each once.
            QCOMPARE(http.get(QStringLiteral("/api/v1/events")).document().array().size(), 3);
            const auto signIn = http.post(QStringLiteral("/api/v1/session"),
                QJsonObject{{QStringLiteral("user"), QStringLiteral("clerk")},
                    {QStringLiteral("password"), passwords.first()}});
            QCOMPARE(signIn.status, 201);
        }
        const auto check = ServerProcess::check(database);
        QVERIFY2(check.exitCode == 0, qPrintable(check.output));
    }

private:
    TestDatabases m_databases;
};

QTEST_GUILESS_MAIN(TestFailover)
#include "tst_failover.moc"
