// Races that only several connections to one PostgreSQL can produce, made
// deterministic: one connection holds a row lock, another runs a service
// call into it, and the test lets go once that call is waiting.
#include "CartService.h"
#include "Clock.h"
#include "DemoSeeder.h"
#include "HoldService.h"
#include "PaymentConfirmation.h"
#include "PaymentService.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"

#include <QtTest>
#include <atomic>
#include <functional>
#include <thread>

using namespace Marquee;

class TestLocking : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
        QVERIFY2(m_databases.postgres(), "runs on PostgreSQL only");
    }

    void init()
    {
        m_config = m_databases.fresh();
        QString error;
        m_db = openDatabase(m_config, QStringLiteral("main"), &error);
        QVERIFY2(m_db.isOpen(), qPrintable(error));
        QVERIFY(DemoSeeder::seed(m_db, m_clock));
        m_blocker = openDatabase(m_config, QStringLiteral("blocker"), &error);
        QVERIFY2(m_blocker.isOpen(), qPrintable(error));
    }

    void cleanup()
    {
        m_db.close();
        m_blocker.close();
        m_db = m_blocker = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("main"));
        QSqlDatabase::removeDatabase(QStringLiteral("blocker"));
    }

    void renewDoesNotReviveAReleasedHold()
    {
        const QString cart = CartService(m_db, m_clock).create().id;
        const auto held
            = holds(m_db).hold(cart, {QStringLiteral("breakfast-ii"), {QStringLiteral("E5")}, 0});
        QCOMPARE(held.status, HoldService::Outcome::Status::Held);
        // Another server's expiry is releasing the hold (it does not take the
        // cart's lock) while the customer renews it.
        Sql::exec(m_blocker, QStringLiteral("BEGIN"));
        Sql::exec(m_blocker, QStringLiteral("UPDATE holds SET state = 'released' WHERE id = ?"),
            {held.hold.id});
        std::atomic<int> status{-1};
        std::thread worker = onOwnConnection(QStringLiteral("worker"), [&](const QSqlDatabase &db) {
            status = int(holds(db).renew(cart, held.hold.id).status);
        });
        QTRY_VERIFY(waitingForLocks() == 1);
        Sql::exec(m_blocker, QStringLiteral("COMMIT"));
        worker.join();
        QCOMPARE(status.load(), int(HoldService::Outcome::Status::UnknownHold));
        QCOMPARE(Sql::scalar(m_db, QStringLiteral("SELECT renewals FROM holds WHERE id = ?"),
                     {held.hold.id})
                     .toInt(),
            0);
    }

    void holdsOfOneCartCountOneAfterTheOther()
    {
        const QString cart = CartService(m_db, m_clock).create().id;
        for (int i = 1; i <= 9; ++i) {
            QCOMPARE(
                holds(m_db)
                    .hold(cart, {QStringLiteral("breakfast-ii"), {QStringLiteral("F%1").arg(i)}, 0})
                    .status,
                HoldService::Outcome::Status::Held);
        }
        // Seat G1 is locked elsewhere: the first of two holds for the cart
        // waits there, after counting nine holds; the second must not count
        // nine too and make it eleven.
        Sql::exec(m_blocker, QStringLiteral("BEGIN"));
        Sql::exec(m_blocker, QStringLiteral("SELECT id FROM seats WHERE label = 'G1' FOR UPDATE"));
        std::atomic<int> first{-1};
        std::atomic<int> second{-1};
        const auto run = [this, cart](const QString &seat, std::atomic<int> *status) {
            return onOwnConnection(QStringLiteral("worker-") + seat, [=](const QSqlDatabase &db) {
                *status
                    = int(holds(db).hold(cart, {QStringLiteral("breakfast-ii"), {seat}, 0}).status);
            });
        };
        std::thread a = run(QStringLiteral("G1"), &first);
        QTRY_VERIFY(waitingForLocks() == 1);
        std::thread b = run(QStringLiteral("G2"), &second);
        QTRY_VERIFY(waitingForLocks() == 2 || second.load() >= 0);
        Sql::exec(m_blocker, QStringLiteral("COMMIT"));
        a.join();
        b.join();
        QCOMPARE(first.load(), int(HoldService::Outcome::Status::Held));
        QCOMPARE(second.load(), int(HoldService::Outcome::Status::TooManyHolds));
        QCOMPARE(
            Sql::scalar(m_db,
                QStringLiteral("SELECT COUNT(*) FROM holds WHERE cart_id = ? AND state = 'live'"),
                {cart})
                .toInt(),
            10);
    }

    void paymentStartDoesNotPayForAHoldBeingReleased()
    {
        const QString cart = CartService(m_db, m_clock).create().id;
        holds(m_db).hold(cart, {QStringLiteral("breakfast-ii"), {QStringLiteral("E7")}, 0});
        const auto leaving
            = holds(m_db).hold(cart, {QStringLiteral("breakfast-ii"), {QStringLiteral("E8")}, 0});
        // Another server's expiry is releasing one of the cart's holds while
        // the customer starts paying.
        Sql::exec(m_blocker, QStringLiteral("BEGIN"));
        Sql::exec(m_blocker, QStringLiteral("UPDATE holds SET state = 'released' WHERE id = ?"),
            {leaving.hold.id});
        std::atomic<qint64> amount{-1};
        std::thread worker = onOwnConnection(QStringLiteral("worker"), [&](const QSqlDatabase &db) {
            amount = PaymentService(db, m_clock).start(cart).payment.amount;
        });
        QTRY_VERIFY(waitingForLocks() == 1);
        Sql::exec(m_blocker, QStringLiteral("COMMIT"));
        worker.join();
        // The payment covers the hold that is still live, not the one that left.
        QCOMPARE(amount.load(), 4500);
        QVERIFY(Sql::scalar(
            m_db, QStringLiteral("SELECT order_id FROM holds WHERE id = ?"), {leaving.hold.id})
                    .isNull());
    }

    void expiryLeavesALockedHoldForLater()
    {
        const QString cart = CartService(m_db, m_clock).create().id;
        const auto held
            = holds(m_db).hold(cart, {QStringLiteral("breakfast-ii"), {QStringLiteral("E9")}, 0});
        m_clock.advance(901'000);
        // Someone is working on the hold (selling it, say): expiry does not
        // wait for them, and says it has to come back, instead of reporting
        // nothing due (which would make it look again at once, in a loop).
        Sql::exec(m_blocker, QStringLiteral("BEGIN"));
        Sql::exec(m_blocker, QStringLiteral("SELECT id FROM holds WHERE id = ? FOR UPDATE"),
            {held.hold.id});
        QVERIFY(!holds(m_db).releaseExpired(held.hold.id).has_value());
        Sql::exec(m_blocker, QStringLiteral("ROLLBACK"));
        const auto released = holds(m_db).releaseExpired(held.hold.id);
        QVERIFY(released.has_value());
        QCOMPARE(released->size(), 1);
        QVERIFY(holds(m_db).releaseExpired(held.hold.id)->isEmpty()); // once
    }

    void oneKeyForTwoPaymentsAtOnceSellsOne()
    {
        const QString first = CartService(m_db, m_clock).create().id;
        holds(m_db).hold(first, {QStringLiteral("breakfast-ii"), {QStringLiteral("G8")}, 0});
        const auto firstPayment = PaymentService(m_db, m_clock).start(first).payment;
        const QString second = CartService(m_db, m_clock).create().id;
        holds(m_db).hold(second, {QStringLiteral("breakfast-ii"), {QStringLiteral("G9")}, 0});
        const auto secondPayment = PaymentService(m_db, m_clock).start(second).payment;
        // A confirmation of the first payment under key K is committing
        // while the second payment arrives under the same K.
        Sql::exec(m_blocker, QStringLiteral("BEGIN"));
        Sql::exec(m_blocker,
            QStringLiteral("INSERT INTO payment_confirmations (idempotency_key, payment_id,"
                           " request_hash, status, response, outcome, took_effect, created_at)"
                           " VALUES ('K', ?, 'x', 0, '', '', 0, ?)"),
            {firstPayment.id, isoUtc(m_clock.now())});
        std::atomic<int> result{-1};
        std::thread worker = onOwnConnection(QStringLiteral("worker"), [&](const QSqlDatabase &db) {
            try {
                result = int(PaymentConfirmation(db, m_clock)
                                 .confirm(secondPayment.id, QStringLiteral("K"),
                                     secondPayment.amount, QStringLiteral("psp"))
                                 .result);
            } catch (const StorageError &) {
                result = -2; // what the server answers with 503
            }
        });
        QTRY_VERIFY(waitingForLocks() == 1);
        Sql::exec(m_blocker, QStringLiteral("COMMIT"));
        worker.join();
        QCOMPARE(result.load(), int(Confirmation::Result::KeyReused));
        // Nothing of the second payment happened.
        QCOMPARE(Sql::scalar(m_db, QStringLiteral("SELECT state FROM payments WHERE id = ?"),
                     {secondPayment.id})
                     .toString(),
            QStringLiteral("pending"));
        QCOMPARE(Sql::scalar(m_db, QStringLiteral("SELECT COUNT(*) FROM order_lines")).toInt(), 0);
    }

private:
    /// Runs \a work on a thread of its own with a connection of its own (a
    /// QSqlDatabase belongs to the thread that opened it).
    std::thread onOwnConnection(const QString &name, std::function<void(const QSqlDatabase &)> work)
    {
        return std::thread([this, name, work = std::move(work)] {
            QString error;
            {
                QSqlDatabase db = openDatabase(m_config, name, &error);
                if (db.isOpen())
                    work(db);
                else
                    qWarning("%s: %s", qPrintable(name), qPrintable(error));
                db.close();
            }
            QSqlDatabase::removeDatabase(name);
        });
    }

    HoldService holds(const QSqlDatabase &db) const
    {
        return HoldService(db, m_clock, HoldRules{});
    }

    int waitingForLocks() const
    {
        return Sql::scalar(m_db,
            QStringLiteral("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                           " AND datname = current_database()"))
            .toInt();
    }

    Test::TestDatabases m_databases;
    DatabaseConfig m_config;
    ManualClock m_clock{QDateTime::currentDateTimeUtc()};
    QSqlDatabase m_db;
    QSqlDatabase m_blocker;
};

QTEST_GUILESS_MAIN(TestLocking)
#include "tst_locking.moc"
