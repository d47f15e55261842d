// Upgrades from each earlier schema version keep the data and its promises.
#include "Clock.h"
#include "InvariantsCheck.h"
#include "Migrations.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"

#include <QtTest>
#include <atomic>
#include <thread>
#include <vector>

using namespace Marquee;

class TestMigrations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void upgrade_data()
    {
        QTest::addColumn<int>("from");
        for (int version = 1; version < Migrations::latest(); ++version)
            QTest::addRow("from %d", version) << version;
    }

    void upgrade()
    {
        QFETCH(int, from);
        // A database as an earlier version left it: the demo and a live hold
        // of two seats (before version 2 its seats carry no price of their own).
        QString error;
        const DatabaseConfig config = m_databases.fresh();
        {
            QSqlDatabase old
                = QSqlDatabase::addDatabase(config.driverName(), QStringLiteral("old"));
            configure(old, config);
            QVERIFY(old.open());
            QCOMPARE(Migrations::apply(old, from), from);
            seedAsBefore(old, from);
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
                QStringLiteral("INSERT INTO hold_seats (hold_id, seat_id%1) SELECT 'h_1', s.id%2"
                               " FROM seats s JOIN events e ON e.id = s.event_id"
                               " WHERE e.slug = 'breakfast-ii' AND s.label IN ('B3', 'B4')")
                    .arg(from >= 2 ? QStringLiteral(", price") : QString(),
                        from >= 2 ? QStringLiteral(", 4500") : QString()));
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
        // The plan moved out of the events row, whole.
        QCOMPARE(Sql::scalar(upgraded,
                     QStringLiteral("SELECT p.svg FROM event_plans p JOIN events e"
                                    " ON e.id = p.event_id WHERE e.slug = 'breakfast-ii'"))
                     .toString(),
            QStringLiteral("<svg id=\"old-plan\"/>"));
        QVERIFY(Sql::scalar(
            upgraded, QStringLiteral("SELECT plan_svg FROM events WHERE slug = 'breakfast-ii'"))
                    .isNull());
        // The hold's seats got the price they had when it was made.
        QCOMPARE(Sql::scalar(upgraded,
                     QStringLiteral("SELECT SUM(price) FROM hold_seats WHERE hold_id = 'h_1'"))
                     .toLongLong(),
            9000);
        QCOMPARE(
            Sql::scalar(upgraded, QStringLiteral("SELECT COUNT(*) FROM counter_sales")).toInt(), 0);
        if (!Sql::isSqlite(upgraded)) {
            // Version 3: every time column is a timestamptz, and the times
            // stayed the same instants.
            QCOMPARE(Sql::scalar(upgraded,
                         QStringLiteral("SELECT COUNT(*) FROM information_schema.columns"
                                        " WHERE table_schema = 'public' AND data_type <> "
                                        "'timestamp with time zone' AND column_name IN"
                                        " ('created_at', 'expires_at', 'starts_at')"))
                         .toInt(),
                0);
        }
        QCOMPARE(Sql::time(Sql::scalar(
                     upgraded, QStringLiteral("SELECT expires_at FROM holds WHERE id = 'h_1'"))),
            QDateTime::fromString(isoUtc(m_clock.now().addSecs(900)), Qt::ISODate));
        const auto report = InvariantsCheck(upgraded, m_clock).run();
        QVERIFY2(report.clean(), qPrintable(report.toText()));
        upgraded.close();
        upgraded = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("upgraded"));
    }

    void serversStartingTogetherMigrateOnce()
    {
        // Servers started at the same moment on a fresh database (a
        // cluster's first start): one migrates, the others wait for it.
        const DatabaseConfig config = m_databases.fresh();
        std::vector<std::thread> servers;
        std::atomic<int> opened{0};
        std::vector<QString> errors(4);
        for (int i = 0; i < 4; ++i) {
            servers.emplace_back([&config, &opened, &errors, i] {
                const QString name = QStringLiteral("together-%1").arg(i);
                {
                    QSqlDatabase db = openDatabase(config, name, &errors[size_t(i)]);
                    opened += db.isOpen() ? 1 : 0;
                    db.close();
                }
                QSqlDatabase::removeDatabase(name);
            });
        }
        for (std::thread &server : servers)
            server.join();
        for (const QString &error : errors)
            QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(opened.load(), 4);
        QString error;
        {
            QSqlDatabase db = openDatabase(config, QStringLiteral("after"), &error);
            QVERIFY2(db.isOpen(), qPrintable(error));
            QCOMPARE(Sql::scalar(db, QStringLiteral("SELECT COUNT(*) FROM schema_version")).toInt(),
                Migrations::latest());
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("after"));
    }

private:
    /// What the demo looked like in the schema of \a version: a venue, a
    /// seated event with its plan (in the events row before 5), its
    /// categories and seats, written by hand because today's seeder writes
    /// today's schema.
    void seedAsBefore(const QSqlDatabase &db, int version) const
    {
        Sql::exec(db, QStringLiteral("INSERT INTO venues (name) VALUES ('Old hall')"));
        const QString plan = QStringLiteral("<svg id=\"old-plan\"/>");
        Sql::exec(db,
            QStringLiteral("INSERT INTO events (slug, name, kind, venue_id, starts_at, currency,"
                           " plan_svg) SELECT 'breakfast-ii', 'Breakfast', 'seated', id, ?, 'EUR',"
                           " ? FROM venues"),
            {isoUtc(m_clock.now().addDays(3)), version < 5 ? QVariant(plan) : QVariant()});
        if (version >= 5)
            Sql::exec(db,
                QStringLiteral("INSERT INTO event_plans (event_id, svg) SELECT id, ? FROM events"),
                {plan});
        Sql::exec(db,
            QStringLiteral("INSERT INTO price_categories (event_id, code, name, price, color)"
                           " SELECT id, 'stalls', 'Stalls', 4500, '#2563eb' FROM events"));
        for (const char *label : {"B3", "B4", "B5"}) {
            Sql::exec(db,
                QStringLiteral("INSERT INTO seats (event_id, label, category_id)"
                               " SELECT e.id, ?, p.id FROM events e JOIN price_categories p"
                               " ON p.event_id = e.id"),
                {QString::fromLatin1(label)});
        }
    }

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
