// Upgrades from each earlier schema version keep the data and its promises.
#include "Clock.h"
#include "DemoSeeder.h"
#include "InvariantsCheck.h"
#include "Migrations.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"

#include <QtTest>

using namespace Marquee;

class TestMigrations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void fromVersion1()
    {
        // A database as version 1 left it: the demo and a live hold of two
        // seats (its seats carry no price of their own yet).
        QString error;
        const DatabaseConfig config = m_databases.fresh();
        {
            QSqlDatabase old
                = QSqlDatabase::addDatabase(config.driverName(), QStringLiteral("old"));
            configure(old, config);
            QVERIFY(old.open());
            QCOMPARE(Migrations::apply(old, 1), 1);
            QVERIFY(DemoSeeder::seed(old, m_clock));
            Sql::exec(old,
                QStringLiteral("INSERT INTO carts (id, token_hash, created_at, expires_at)"
                               " VALUES ('c_1', 'x', ?, ?)"),
                {isoUtc(m_clock.now()), isoUtc(m_clock.now().addSecs(7200))});
            Sql::exec(old,
                QStringLiteral("INSERT INTO holds (id, cart_id, event_id, quantity, total, state,"
                               " created_at, expires_at) SELECT 'h_1', 'c_1', id, 2, 9000, 'live',"
                               " ?, ? FROM events WHERE slug = 'breakfast-ii'"),
                {isoUtc(m_clock.now()), isoUtc(m_clock.now().addSecs(900))});
            Sql::exec(old,
                QStringLiteral("INSERT INTO hold_seats (hold_id, seat_id) SELECT 'h_1', s.id"
                               " FROM seats s JOIN events e ON e.id = s.event_id"
                               " WHERE e.slug = 'breakfast-ii' AND s.label IN ('B3', 'B4')"));
            Sql::exec(old,
                QStringLiteral("INSERT INTO seat_claims (seat_id, event_id, kind, hold_id)"
                               " SELECT seat_id, s.event_id, 'held', 'h_1' FROM hold_seats h"
                               " JOIN seats s ON s.id = h.seat_id"));
            old.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("old"));

        QSqlDatabase upgraded = openDatabase(config, QStringLiteral("upgraded"), &error);
        QVERIFY2(upgraded.isOpen(), qPrintable(error));
        QCOMPARE(Sql::scalar(upgraded, QStringLiteral("SELECT MAX(version) FROM schema_version"))
                     .toInt(),
            Migrations::latest());
        // The hold's seats got the price they had when it was made.
        QCOMPARE(Sql::scalar(upgraded,
                     QStringLiteral("SELECT SUM(price) FROM hold_seats WHERE hold_id = 'h_1'"))
                     .toLongLong(),
            9000);
        QCOMPARE(
            Sql::scalar(upgraded, QStringLiteral("SELECT COUNT(*) FROM counter_sales")).toInt(), 0);
        const auto report = InvariantsCheck(upgraded, m_clock).run();
        QVERIFY2(report.clean(), qPrintable(report.toText()));
        upgraded.close();
        upgraded = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("upgraded"));
    }

private:
    static void configure(QSqlDatabase &db, const DatabaseConfig &config)
    {
        if (config.backend == DatabaseConfig::Backend::Sqlite) {
            db.setDatabaseName(config.path);
            return;
        }
        db.setHostName(config.host);
        db.setPort(config.port);
        db.setUserName(config.user);
        db.setPassword(config.password);
        db.setDatabaseName(config.database);
    }

    Test::TestDatabases m_databases;
    ManualClock m_clock;
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
