// Sql::Batch: statements that go to the database together (one libpq
// pipeline on PostgreSQL) and answer as if they had run one by one.
#include "Batch.h"
#include "Clock.h"
#include "ConnectionState.h"
#include "PgPipeline.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"

#include <QtTest>

using namespace Marquee;

class TestBatch : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void init()
    {
        QString error;
        m_db = openDatabase(m_databases.fresh(), QStringLiteral("test"), &error);
        QVERIFY2(m_db.isOpen(), qPrintable(error));
        Sql::exec(m_db,
            QStringLiteral("CREATE TABLE marks (n BIGINT PRIMARY KEY, label TEXT,"
                           " at %1, flag BOOLEAN)")
                .arg(m_databases.postgres() ? QStringLiteral("TIMESTAMPTZ")
                                            : QStringLiteral("TEXT")));
    }

    void cleanup()
    {
        Sql::close(m_db);
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("test"));
    }

    void eachStatementSeesTheOnesBeforeIt()
    {
        Transaction transaction(m_db);
        Sql::Batch batch(m_db);
        batch.add(QStringLiteral("INSERT INTO marks (n, label) VALUES (?, ?)"),
            {1, QStringLiteral("one")});
        batch.add(QStringLiteral("INSERT INTO marks (n, label) VALUES (?, ?)"),
            {2, QStringLiteral("two")});
        const qsizetype changed = batch.add(
            QStringLiteral("UPDATE marks SET label = ? WHERE n >= ?"), {QStringLiteral("some"), 1});
        const qsizetype read
            = batch.add(QStringLiteral("SELECT n, label FROM marks WHERE n > ? ORDER BY n"), {0});
        const qsizetype none = batch.add(QStringLiteral("SELECT n FROM marks WHERE n > ?"), {5});
        const QList<Sql::Table> tables = batch.run();
        QCOMPARE(tables.size(), 5);
        QVERIFY(batch.isEmpty());
        QCOMPARE(tables.at(changed).affected, 2);
        QCOMPARE(tables.at(read).rows.size(), 2);
        QCOMPARE(tables.at(read).value(1, 0).toLongLong(), 2);
        QCOMPARE(tables.at(read).value(1, 1).toString(), QStringLiteral("some"));
        QVERIFY(tables.at(none).isEmpty());
        QVERIFY(!tables.at(read).value(5, 0).isValid());
        transaction.commit();
        QCOMPARE(Sql::scalar(m_db, QStringLiteral("SELECT COUNT(*) FROM marks")).toInt(), 2);
    }

    void valuesTravelBothWays()
    {
        // What QPSQL would bind and give: a null string is NULL, times come
        // back as UTC QDateTime (PostgreSQL) or the ISO text (SQLite).
        const QDateTime at
            = QDateTime::fromString(QStringLiteral("2026-12-02T15:40:01Z"), Qt::ISODate);
        Transaction transaction(m_db);
        Sql::Batch batch(m_db);
        batch.add(QStringLiteral("INSERT INTO marks (n, label, at, flag) VALUES (?, ?, ?, ?)"),
            {qint64(1) << 40, QString(), isoUtc(at), true});
        batch.add(QStringLiteral("INSERT INTO marks (n, label, flag) VALUES (?, ?, ?)"),
            {-3, QStringLiteral("Grüße, 'quoted' ?"), false});
        const qsizetype read = batch.add(
            QStringLiteral("SELECT n, label, at, flag FROM marks WHERE n <> ? ORDER BY n DESC"),
            {0});
        const Sql::Table rows = batch.run().at(read);
        QCOMPARE(rows.value(0, 0).toLongLong(), qint64(1) << 40);
        QVERIFY(rows.value(0, 1).isNull());
        QCOMPARE(Sql::time(rows.value(0, 2)), at);
        QCOMPARE(rows.value(0, 3).toBool(), true);
        QCOMPARE(rows.value(1, 0).toInt(), -3);
        QCOMPARE(rows.value(1, 1).toString(), QStringLiteral("Grüße, 'quoted' ?"));
        QVERIFY(rows.value(1, 2).isNull());
        QCOMPARE(rows.value(1, 3).toBool(), false);
    }

    void timesKeepTheirMilliseconds()
    {
        const QDateTime at
            = QDateTime::fromString(QStringLiteral("2026-12-02T15:40:01.250Z"), Qt::ISODateWithMs);
        Transaction transaction(m_db);
        Sql::Batch batch(m_db);
        batch.add(m_databases.postgres() ? QStringLiteral("SELECT CAST(? AS TIMESTAMPTZ)")
                                         : QStringLiteral("SELECT ?"),
            {at.toString(Qt::ISODateWithMs)});
        QCOMPARE(Sql::time(batch.run().at(0).value(0, 0)), at);
    }

    void aFailureStopsTheBatchAndTheTransactionRollsBack()
    {
        {
            Transaction transaction(m_db);
            Sql::Batch batch(m_db);
            batch.add(QStringLiteral("INSERT INTO marks (n) VALUES (?)"), {1});
            batch.add(QStringLiteral("INSERT INTO marks (n) VALUES (?)"), {1}); // the key again
            batch.add(QStringLiteral("INSERT INTO marks (n) VALUES (?)"), {2});
            QVERIFY_THROWS_EXCEPTION(StorageError, batch.run());
        }
        // The connection is usable again, by batches and by plain statements.
        Transaction transaction(m_db);
        Sql::Batch batch(m_db);
        batch.add(QStringLiteral("INSERT INTO marks (n) VALUES (?)"), {3});
        const qsizetype all = batch.add(QStringLiteral("SELECT n FROM marks WHERE n > ?"), {0});
        QCOMPARE(batch.run().at(all).rows.size(), 1);
        transaction.commit();
        QCOMPARE(Sql::scalar(m_db, QStringLiteral("SELECT SUM(n) FROM marks")).toInt(), 3);
    }

    void aStatementThatDoesNotParseIsReportedAndForgotten()
    {
        for (int attempt = 0; attempt < 2; ++attempt) {
            Transaction transaction(m_db);
            Sql::Batch batch(m_db);
            batch.add(QStringLiteral("SELECT nonsense FROM marks WHERE n = ?"), {1});
            try {
                batch.run();
                QFAIL("a statement that does not parse ran");
            } catch (const StorageError &error) {
                QVERIFY2(QByteArray(error.what()).contains("nonsense"), error.what());
            }
        }
        QCOMPARE(ConnectionState::of(m_db).pgPrepared.names.size(), 0);
    }

    void aStatementIsPreparedOncePerConnection()
    {
        Transaction transaction(m_db);
        for (int n = 1; n <= 3; ++n) {
            Sql::Batch batch(m_db);
            batch.add(QStringLiteral("INSERT INTO marks (n) VALUES (?)"), {n});
            batch.run();
        }
        QCOMPARE(ConnectionState::of(m_db).pgPrepared.names.size(), m_databases.postgres() ? 1 : 0);
        transaction.commit();
        QCOMPARE(Sql::scalar(m_db, QStringLiteral("SELECT COUNT(*) FROM marks")).toInt(), 3);
    }

    void aLongBatchWhileAnotherStatementStillReads()
    {
        Sql::exec(m_db, QStringLiteral("INSERT INTO marks (n) VALUES (?)"), {-1});
        Sql::exec(m_db, QStringLiteral("INSERT INTO marks (n) VALUES (?)"), {-2});
        Transaction transaction(m_db);
        Sql::Rows reading = Sql::exec(m_db, QStringLiteral("SELECT n FROM marks WHERE n < ?"), {0});
        QVERIFY(reading.next());
        Sql::Batch batch(m_db);
        for (int n = 1; n <= 500; ++n)
            batch.add(QStringLiteral("INSERT INTO marks (n, label) VALUES (?, ?)"),
                {n, QString(200, u'x')});
        QCOMPARE(batch.run().size(), 500);
        QVERIFY(reading.next());
        QVERIFY(!reading.next());
        transaction.commit();
        QCOMPARE(Sql::scalar(m_db, QStringLiteral("SELECT COUNT(*) FROM marks")).toInt(), 502);
    }

    void aBatchOutsideATransactionIsRefused()
    {
        Sql::Batch batch(m_db);
        batch.add(QStringLiteral("INSERT INTO marks (n) VALUES (?)"), {1});
        QVERIFY_THROWS_EXCEPTION(StorageError, batch.run());
        QCOMPARE(Sql::scalar(m_db, QStringLiteral("SELECT COUNT(*) FROM marks")).toInt(), 0);
    }

    void placeholdersAreNumberedOutsideQuotes()
    {
        QCOMPARE(PgPipeline::numberPlaceholders(QStringLiteral(
                     "SELECT '?', ?, \"odd?name\" FROM t WHERE a = ? AND b = 'it''s?'")),
            QByteArray("SELECT '?', $1, \"odd?name\" FROM t WHERE a = $2 AND b = 'it''s?'"));
    }

private:
    Test::TestDatabases m_databases;
    QSqlDatabase m_db;
};

QTEST_GUILESS_MAIN(TestBatch)
#include "tst_batch.moc"
