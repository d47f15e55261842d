// Two servers on one PostgreSQL database, as an operator runs them when one
// machine is not enough: each one's subscribers see the other's changes in
// version order, a race through both sells nothing twice, and expiry running
// on both releases every hold once.
#include "CartService.h"
#include "ChannelClient.h"
#include "EventRepository.h"
#include "HoldExpiry.h"
#include "HoldService.h"
#include "HttpClient.h"
#include "InvariantsCheck.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QtTest>
#include <atomic>
#include <thread>
#include <vector>

using namespace Marquee;
using namespace Marquee::Test;

namespace {

/// A channel subscriber's view, rebuilt from its messages.
QHash<QString, SeatState> replay(const QList<Protocol::ChannelMessage> &messages, qint64 *version)
{
    QHash<QString, SeatState> seats;
    for (const auto &message : messages) {
        if (message.type == Protocol::ChannelMessage::Type::Snapshot)
            seats = message.seats;
        else
            seats.insert(message.seats);
        *version = message.version;
    }
    return seats;
}

} // namespace

class TestCluster : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
        QVERIFY2(
            m_databases.postgres(), "runs on PostgreSQL only (MARQUEE_TEST_BACKEND=postgresql)");
    }

    void init()
    {
        const DatabaseConfig database = m_databases.fresh();
        m_a = std::make_unique<TestServer>(database);
        m_a->options().listenTiming = quickListener();
        QVERIFY2(m_a->start(), qPrintable(m_a->error()));
        m_b = std::make_unique<TestServer>(database);
        m_b->options().listenTiming = quickListener();
        QVERIFY2(m_b->start(), qPrintable(m_b->error()));
        m_httpA = std::make_unique<HttpClient>(m_a->httpUrl());
        m_httpB = std::make_unique<HttpClient>(m_b->httpUrl());
    }

    void cleanup()
    {
        m_httpA.reset();
        m_httpB.reset();
        m_b.reset();
        m_a.reset();
    }

    void eachSeesTheOther()
    {
        ChannelClient onA(m_a->channelUrl(QStringLiteral("breakfast-ii")));
        ChannelClient onB(m_b->channelUrl(QStringLiteral("breakfast-ii")));
        QTRY_COMPARE(onA.messages().size(), 1);
        QTRY_COMPARE(onB.messages().size(), 1);
        const qint64 start = onA.messages().first().version;

        const auto [cart, token] = m_httpA->newCart();
        QCOMPARE(hold(*m_httpA, cart, token, {QStringLiteral("C7")}).status, 201);
        QTRY_COMPARE(onB.messages().size(), 2);
        QCOMPARE(onB.messages().at(1).version, start + 1);
        QCOMPARE(onB.messages().at(1).seats.value(QStringLiteral("C7")), SeatState::Held);

        // The cart lives in the database: the other server can sell it.
        const auto sale = m_httpB->sellCash(cart, m_a->staffToken());
        QCOMPARE(sale.status, 201);
        QTRY_COMPARE(onA.messages().size(), 3);
        QCOMPARE(onA.messages().at(2).version, start + 2);
        QCOMPARE(onA.messages().at(2).seats.value(QStringLiteral("C7")), SeatState::Sold);

        // A seat held through B is refused through A.
        const auto [other, otherToken] = m_httpA->newCart();
        QCOMPARE(hold(*m_httpB, other, otherToken, {QStringLiteral("C8")}).status, 201);
        QCOMPARE(hold(*m_httpA, other, otherToken, {QStringLiteral("C8")}).status, 409);
    }

    void raceThroughBothSellsNothingTwice()
    {
        ChannelClient onA(m_a->channelUrl(QStringLiteral("breakfast-ii")));
        ChannelClient onB(m_b->channelUrl(QStringLiteral("breakfast-ii")));
        QTRY_COMPARE(onA.messages().size(), 1);
        QTRY_COMPARE(onB.messages().size(), 1);

        // Many customers, half through each server, for eight seats.
        const QStringList seats{QStringLiteral("F4"), QStringLiteral("F5"), QStringLiteral("F6"),
            QStringLiteral("F7"), QStringLiteral("F8"), QStringLiteral("F9"), QStringLiteral("F10"),
            QStringLiteral("F11")};
        int granted = 0;
        int refused = 0;
        std::vector<std::unique_ptr<QNetworkAccessManager>> managers;
        int pending = 0;
        for (int i = 0; i < 40; ++i) {
            HttpClient &http = i % 2 ? *m_httpA : *m_httpB;
            const auto [cart, token] = http.newCart();
            const int first = QRandomGenerator::global()->bounded(int(seats.size()) - 1);
            auto &manager = managers.emplace_back(std::make_unique<QNetworkAccessManager>());
            QNetworkRequest request(
                (i % 2 ? m_a : m_b)
                    ->httpUrl()
                    .resolved(QUrl(QStringLiteral("api/v1/carts/%1/holds").arg(cart))));
            request.setHeader(
                QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
            const QByteArray body = QJsonDocument(
                QJsonObject{{QStringLiteral("event"), QStringLiteral("breakfast-ii")},
                    {QStringLiteral("seats"), QJsonArray{seats.at(first), seats.at(first + 1)}}})
                                        .toJson(QJsonDocument::Compact);
            QNetworkReply *reply = manager->post(request, body);
            ++pending;
            connect(reply, &QNetworkReply::finished, this, [&, reply] {
                const int status
                    = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                granted += status == 201;
                refused += status == 409;
                --pending;
                reply->deleteLater();
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(pending, 0, 30000);
        QCOMPARE(granted + refused, 40); // nothing else: no 5xx, no lost request
        QVERIFY(granted >= 1 && granted <= 4);
        qInfo("cluster race: %d holds granted, %d refused", granted, refused);

        QString error;
        QSqlDatabase db = openDatabase(m_a->database(), QStringLiteral("cluster-check"), &error);
        QVERIFY2(db.isOpen(), qPrintable(error));
        {
            const auto report = InvariantsCheck(db, m_a->clock()).run();
            QVERIFY2(report.clean(), qPrintable(report.toText()));
            const AvailabilityChange truth
                = EventRepository(db).loadAvailability(QStringLiteral("breakfast-ii")).first();
            int held = 0;
            for (const QString &seat : seats)
                held += truth.seats.value(seat) == SeatState::Held;
            QCOMPARE(held, 2 * granted);
            // Both servers' subscribers end where the database is.
            for (ChannelClient *client : {&onA, &onB}) {
                QTRY_COMPARE_WITH_TIMEOUT(client->messages().last().version, truth.version, 10000);
                qint64 version = 0;
                QCOMPARE(replay(client->messages(), &version), truth.seats);
            }
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("cluster-check"));
    }

    void expiryOnBothReleasesOnce()
    {
        // Both servers' own timers (no test hand on them) release holds of
        // two seconds that A made; every hold is released once, in order.
        const auto servers = startServers(2, 2);
        ChannelClient watcher(servers[1]->channelUrl(QStringLiteral("open-air")));
        QTRY_COMPARE(watcher.messages().size(), 1);
        HttpClient http(servers[0]->httpUrl());
        for (int i = 0; i < 6; ++i) {
            const auto [cart, token] = http.newCart();
            QCOMPARE(http.holdPlaces(cart, token, QStringLiteral("open-air"), 5).status, 201);
        }
        QTRY_COMPARE(watcher.messages().last().available, 470);
        QTRY_COMPARE_WITH_TIMEOUT(watcher.messages().last().available, 500, 10000);
        for (qsizetype i = 1; i < watcher.messages().size(); ++i)
            QCOMPARE(watcher.messages().at(i).version, watcher.messages().at(i - 1).version + 1);
        QCOMPARE(watcher.messages().size(), 1 + 6 + 6);
    }

    void gapIsClosedByReload()
    {
        ChannelClient onB(m_b->channelUrl(QStringLiteral("breakfast-ii")));
        QTRY_COMPARE(onB.messages().size(), 1);
        const qint64 start = onB.messages().first().version;
        // A change committed without a notice (as if its NOTIFY were lost):
        // the next change's version leaves a gap, which B closes by reading
        // the event again.
        withDatabase([](QSqlDatabase db) {
            Sql::exec(db,
                QStringLiteral("UPDATE seats SET blocked = 1 WHERE label = 'J1' AND event_id ="
                               " (SELECT id FROM events WHERE slug = 'breakfast-ii')"));
            Sql::exec(db,
                QStringLiteral(
                    "UPDATE events SET version = version + 1 WHERE slug = 'breakfast-ii'"));
        });
        const auto [cart, token] = m_httpA->newCart();
        QCOMPARE(hold(*m_httpA, cart, token, {QStringLiteral("C9")}).status, 201);
        QTRY_COMPARE(onB.messages().last().version, start + 2);
        const auto &last = onB.messages().last();
        QCOMPARE(last.type, Protocol::ChannelMessage::Type::Snapshot);
        QCOMPARE(last.seats.value(QStringLiteral("J1")), SeatState::Blocked);
        QCOMPARE(last.seats.value(QStringLiteral("C9")), SeatState::Held);
    }

    void changesDuringStartUpAreHeard()
    {
        // Server B starts while A's changes keep coming. B's initial load is
        // held up (a lock on the seats); meanwhile a GA hold commits, after
        // the load's snapshot was taken. B must hear it (it listens before
        // it loads) instead of showing a stale count until the next change.
        const DatabaseConfig database = m_a->database();
        std::atomic<bool> locked{false};
        std::atomic<bool> held{false};
        std::thread other([&] {
            QString error;
            {
                QSqlDatabase blocker = openDatabase(database, QStringLiteral("blocker"), &error);
                QSqlDatabase db = openDatabase(database, QStringLiteral("other"), &error);
                Sql::exec(blocker, QStringLiteral("BEGIN"));
                Sql::exec(blocker, QStringLiteral("LOCK TABLE seats IN ACCESS EXCLUSIVE MODE"));
                locked = true;
                while (Sql::scalar(db,
                           QStringLiteral(
                               "SELECT COUNT(*) FROM pg_stat_activity WHERE"
                               " wait_event_type = 'Lock' AND datname = current_database()"))
                           .toInt()
                    == 0)
                    QThread::msleep(20);
                const QString cart = CartService(db, m_a->clock()).create().id;
                held = HoldService(db, m_a->clock(), HoldRules{})
                           .hold(cart, {QStringLiteral("open-air"), {}, 3})
                           .status
                    == HoldService::Outcome::Status::Held;
                Sql::exec(blocker, QStringLiteral("COMMIT"));
                blocker.close();
                db.close();
            }
            QSqlDatabase::removeDatabase(QStringLiteral("blocker"));
            QSqlDatabase::removeDatabase(QStringLiteral("other"));
        });
        QTRY_VERIFY(locked.load());
        TestServer late(database);
        const bool started = late.start(); // waits for the lock, then loads
        other.join();
        QVERIFY2(started, qPrintable(late.error()));
        QVERIFY(held.load());
        ChannelClient onLate(late.channelUrl(QStringLiteral("open-air")));
        QTRY_VERIFY(!onLate.messages().isEmpty() && onLate.messages().last().available == 497);
    }

    void databaseRestartRecovers()
    {
        ChannelClient onA(m_a->channelUrl(QStringLiteral("breakfast-ii")));
        QTRY_COMPARE(onA.messages().size(), 1);
        PostgresCluster &cluster = *m_databases.cluster();
        QVERIFY2(cluster.stop(), qPrintable(cluster.error()));
        const auto [cart, token] = m_httpA->newCart();
        QVERIFY(cart.isEmpty()); // the database is away: no cart
        QVERIFY2(cluster.resume(), qPrintable(cluster.error()));

        // Both servers come back by themselves; B sells while A's
        // listening connection may still be reconnecting.
        QString heldCart;
        QTRY_VERIFY_WITH_TIMEOUT(!(heldCart = m_httpB->newCart().first).isEmpty(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_httpA->newCart().first.isEmpty(), 15000);
        const auto [seller, sellerToken] = m_httpB->newCart();
        QCOMPARE(hold(*m_httpB, seller, sellerToken, {QStringLiteral("D9")}).status, 201);
        // A's subscriber sees the truth: through the notice, or through the
        // resync after A's listener is back.
        QTRY_VERIFY_WITH_TIMEOUT(
            stateOn(onA).value(QStringLiteral("D9")) == SeatState::Held, 15000);
        const auto [other, otherToken] = m_httpA->newCart();
        QCOMPARE(hold(*m_httpA, other, otherToken, {QStringLiteral("D9")}).status, 409);
        QCOMPARE(hold(*m_httpA, other, otherToken, {QStringLiteral("D10")}).status, 201);
        QTRY_VERIFY(stateOn(onA).value(QStringLiteral("D10")) == SeatState::Held);
    }

    void expiryAfterTheMakerIsGone()
    {
        // Three servers with 2-second holds; the one that made a hold goes
        // away before it expires. Another releases it on time with its own
        // timer (it heard of the hold from its notice), once, and the third
        // one's subscribers see it.
        auto servers = startServers(3, 2);
        ChannelClient onC(servers[2]->channelUrl(QStringLiteral("open-air")));
        QTRY_COMPARE(onC.messages().size(), 1);
        HttpClient http(servers[0]->httpUrl());
        const auto [cart, token] = http.newCart();
        const auto held = http.holdPlaces(cart, token, QStringLiteral("open-air"), 3);
        QCOMPARE(held.status, 201);
        const QDateTime expiresAt = QDateTime::fromString(
            held.json().value(QLatin1String("expiresAt")).toString(), Qt::ISODate);
        QTRY_COMPARE(onC.messages().last().available, 497);
        servers[0].reset(); // gone, its timer with it
        QTRY_COMPARE_WITH_TIMEOUT(onC.messages().last().available, 500, 10000);
        // On time: these servers run on the system clock.
        const QDateTime releasedAt = QDateTime::currentDateTimeUtc();
        QVERIFY2(releasedAt >= expiresAt, "released before its time");
        QVERIFY2(releasedAt <= expiresAt.addSecs(5), "released late");
        QCOMPARE(onC.messages().size(), 3); // snapshot, hold, one release
        QCOMPARE(onC.messages().at(2).version, onC.messages().at(1).version + 1);
    }

private:
    /// \a count servers on one fresh database, on the system clock, holds of
    /// \a holdSeconds (shorter than the command line allows, for the tests'
    /// sake).
    std::vector<std::unique_ptr<TestServer>> startServers(int count, qint64 holdSeconds)
    {
        const DatabaseConfig database = m_databases.fresh();
        std::vector<std::unique_ptr<TestServer>> servers;
        for (int i = 0; i < count; ++i) {
            auto &server
                = servers.emplace_back(std::make_unique<TestServer>(database, holdSeconds));
            server->options().listenTiming = quickListener();
            server->useSystemClock();
            if (!server->start())
                qFatal("server %d: %s", i, qPrintable(server->error()));
        }
        return servers;
    }

    static ListenTiming quickListener()
    {
        ListenTiming timing;
        timing.probeMs = 200;
        timing.firstRetryMs = 100;
        timing.maxRetryMs = 500;
        return timing;
    }

    void withDatabase(const std::function<void(QSqlDatabase)> &work)
    {
        QString error;
        {
            QSqlDatabase db = openDatabase(m_a->database(), QStringLiteral("cluster-side"), &error);
            QVERIFY2(db.isOpen(), qPrintable(error));
            work(db);
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("cluster-side"));
    }

    static QHash<QString, SeatState> stateOn(const ChannelClient &client)
    {
        qint64 version = 0;
        return replay(client.messages(), &version);
    }

    HttpClient::Response hold(
        HttpClient &http, const QString &cart, const QString &token, const QStringList &seats)
    {
        return http.holdSeats(cart, token, QStringLiteral("breakfast-ii"), seats);
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_a;
    std::unique_ptr<TestServer> m_b;
    std::unique_ptr<HttpClient> m_httpA;
    std::unique_ptr<HttpClient> m_httpB;
};

QTEST_GUILESS_MAIN(TestCluster)
#include "tst_cluster.moc"
