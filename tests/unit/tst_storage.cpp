// The storage layer's own promises: statements prepared once and never
// shared by two readers, transactions that nest as savepoints, and the group
// commit of Shared jobs (one transaction, each job undone alone, every
// answer after the commit, a failure sending each job back to run alone,
// one write and one announcement per event for the whole group).
#include "Clock.h"
#include "ConnectionState.h"
#include "DemoSeeder.h"
#include "EventWrites.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"

#include <QSemaphore>
#include <QtTest>

using namespace Marquee;

namespace {

/// What a job saw and did, as its done() callback got it.
struct Answer
{
    std::optional<int> result;
    QString error;
};

/// A Storage whose thread is held by a first job until release(), so the
/// jobs posted meanwhile wait in its queue together; their answers are
/// collected in order. Released when it goes, so that a failed check never
/// leaves the storage thread waiting (and the test hanging in ~Storage).
class QueuedJobs
{
public:
    QueuedJobs(const DatabaseConfig &config, const Clock &clock)
        : m_storage(config, clock)
    {
    }
    ~QueuedJobs() { release(); }

    bool open()
    {
        if (!m_storage.open(&m_error))
            return false;
        m_storage.run<int>(
            [this](StorageSession &) {
                m_gate.acquire();
                return 0;
            },
            [](std::optional<int>, const QString &) {});
        return true;
    }
    QString error() const { return m_error; }
    /// What the group commits announce, per group (call before open()).
    void observeGroups()
    {
        m_storage.setGroupChangesObserver(
            [this](const AvailabilityChanges &changes) { groups.append(changes); });
    }

    void add(
        std::function<int(StorageSession &)> job, Storage::Commit commit = Storage::Commit::Shared)
    {
        m_storage.run<int>(
            std::move(job),
            [this](std::optional<int> result, const QString &failure) {
                answers.append({result, failure});
            },
            commit);
    }
    void release()
    {
        if (!std::exchange(m_released, true))
            m_gate.release();
    }

    QList<Answer> answers;
    QList<AvailabilityChanges> groups;

private:
    QSemaphore m_gate; ///< before the storage: the held job may still use it as it goes
    Storage m_storage;
    bool m_released = false;
    QString m_error;
};

} // namespace

class TestStorage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void init()
    {
        m_config = m_databases.fresh();
        QString error;
        m_db = openDatabase(m_config, QStringLiteral("test"), &error);
        QVERIFY2(m_db.isOpen(), qPrintable(error));
        Sql::exec(m_db, QStringLiteral("CREATE TABLE marks (n INTEGER PRIMARY KEY)"));
    }

    void cleanup()
    {
        Sql::close(m_db);
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("test"));
    }

    void aStatementIsPreparedOnce()
    {
        mark(1);
        mark(2);
        const int before = ConnectionState::of(m_db).statements.size();
        for (int i = 0; i < 5; ++i)
            QCOMPARE(count(QStringLiteral("n > ?"), 0), 2);
        QCOMPARE(ConnectionState::of(m_db).statements.size(), before + 1);
    }

    void twoReadersOfOneStatementDoNotShareRows()
    {
        mark(1);
        mark(2);
        const QString select = QStringLiteral("SELECT n FROM marks WHERE n >= ? ORDER BY n");
        Sql::Rows first = Sql::exec(m_db, select, {1});
        QVERIFY(first.next());
        QCOMPARE(first.value(0).toInt(), 1);
        // The same text while the first still reads: a statement of its own.
        Sql::Rows second = Sql::exec(m_db, select, {2});
        QVERIFY(second.next());
        QCOMPARE(second.value(0).toInt(), 2);
        QCOMPARE(first.value(0).toInt(), 1);
        QVERIFY(first.next());
        QCOMPARE(first.value(0).toInt(), 2);
        QVERIFY(!second.next());
    }

    void aReturnedStatementHoldsNoSnapshot()
    {
        // On SQLite a statement left stepping keeps the snapshot it began
        // with: this connection would not see what another one commits.
        mark(1);
        mark(2);
        {
            Sql::Rows rows
                = Sql::exec(m_db, QStringLiteral("SELECT n FROM marks WHERE n > ?"), {0});
            QVERIFY(rows.next()); // one of two rows read, then dropped
        }
        QString error;
        QSqlDatabase other = openDatabase(m_config, QStringLiteral("other"), &error);
        QVERIFY2(other.isOpen(), qPrintable(error));
        Sql::exec(other, QStringLiteral("INSERT INTO marks (n) VALUES (?)"), {3});
        Sql::close(other);
        other = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("other"));
        QCOMPARE(count(QStringLiteral("n > ?"), 0), 3);
    }

    void anInnerTransactionRollsBackAlone()
    {
        {
            Transaction outer(m_db);
            mark(1);
            {
                Transaction refused(m_db);
                mark(2);
            } // not committed: its savepoint is undone
            {
                Transaction kept(m_db);
                mark(3);
                kept.commit();
            }
            outer.commit();
        }
        QCOMPARE(numbers(), QList<int>({1, 3}));
        QCOMPARE(ConnectionState::of(m_db).nesting.depth, 0);
    }

    void anOuterRollbackUndoesCommittedParts()
    {
        {
            Transaction outer(m_db);
            Transaction inner(m_db);
            mark(1);
            inner.commit();
        }
        QCOMPARE(numbers(), QList<int>());
        QCOMPARE(ConnectionState::of(m_db).nesting.depth, 0);
        QVERIFY(ConnectionState::of(m_db).nesting.notices.isEmpty());
    }

    void aReadSnapshotInsideATransactionIsRefused()
    {
        Transaction outer(m_db);
        QVERIFY_THROWS_EXCEPTION(StorageError, ReadSnapshot{m_db});
    }

    void sharedJobsCommitTogether()
    {
        QueuedJobs jobs(m_config, m_clock);
        QVERIFY2(jobs.open(), qPrintable(jobs.error()));
        QList<int> unseenByOthers;
        jobs.add([](StorageSession &s) { return insertIn(s, 1); });
        jobs.add([this, &unseenByOthers](StorageSession &s) {
            // Another connection does not see job 1's mark yet: one transaction.
            unseenByOthers.append(countElsewhere(1));
            return insertIn(s, 2);
        });
        jobs.add([](StorageSession &s) {
            Transaction refused(s.db);
            Sql::exec(s.db, QStringLiteral("INSERT INTO marks (n) VALUES (?)"), {3});
            return -1; // a refusal: no commit, its savepoint rolls back
        });
        jobs.add([](StorageSession &s) { return insertIn(s, 4); });
        jobs.release();
        QTRY_COMPARE(jobs.answers.size(), 4);
        QCOMPARE(unseenByOthers, QList<int>({0}));
        QCOMPARE(resultsOf(jobs.answers), QList<int>({1, 2, -1, 4}));
        QCOMPARE(numbers(), QList<int>({1, 2, 4}));
    }

    void aFailedJobSendsItsGroupToRunAlone()
    {
        QueuedJobs jobs(m_config, m_clock);
        QVERIFY2(jobs.open(), qPrintable(jobs.error()));
        QList<int> seenByOthers;
        jobs.add([](StorageSession &s) { return insertIn(s, 1); });
        jobs.add([this, &seenByOthers](StorageSession &s) {
            seenByOthers.append(countElsewhere(1));
            Transaction broken(s.db);
            Sql::exec(s.db, QStringLiteral("INSERT INTO no_such_table (n) VALUES (?)"), {2});
            broken.commit();
            return 2;
        });
        jobs.add([](StorageSession &s) { return insertIn(s, 3); });
        jobs.release();
        QTRY_COMPARE(jobs.answers.size(), 3);
        // In the group job 1 was not committed yet; alone, it was.
        QCOMPARE(seenByOthers, QList<int>({0, 1}));
        QCOMPARE(jobs.answers.at(0).result, std::optional<int>(1));
        QVERIFY(!jobs.answers.at(1).result);
        QVERIFY2(jobs.answers.at(1).error.contains(QLatin1String("no_such_table")),
            qPrintable(jobs.answers.at(1).error));
        QCOMPARE(jobs.answers.at(2).result, std::optional<int>(3));
        QCOMPARE(numbers(), QList<int>({1, 3}));
    }

    void anOwnJobIsNeverGrouped()
    {
        QueuedJobs jobs(m_config, m_clock);
        QVERIFY2(jobs.open(), qPrintable(jobs.error()));
        QList<int> seenByOthers;
        jobs.add([](StorageSession &s) { return insertIn(s, 1); });
        jobs.add(
            [this, &seenByOthers](StorageSession &s) {
                seenByOthers.append(countElsewhere(1));
                return insertIn(s, 2);
            },
            Storage::Commit::Own);
        jobs.add([](StorageSession &s) { return insertIn(s, 3); });
        jobs.release();
        QTRY_COMPARE(jobs.answers.size(), 3);
        QCOMPARE(seenByOthers, QList<int>({1}));
        QCOMPARE(resultsOf(jobs.answers), QList<int>({1, 2, 3}));
    }

    void aFailedCommitAnswersEveryJobWithItsError()
    {
        // A deferred foreign key is checked at COMMIT: the group's commit fails.
        Sql::exec(m_db,
            QStringLiteral("CREATE TABLE refs (n INTEGER REFERENCES marks (n)"
                           " DEFERRABLE INITIALLY DEFERRED)"));
        QueuedJobs jobs(m_config, m_clock);
        QVERIFY2(jobs.open(), qPrintable(jobs.error()));
        jobs.add([](StorageSession &s) { return insertIn(s, 1); });
        jobs.add([](StorageSession &s) {
            Transaction dangling(s.db);
            Sql::exec(s.db, QStringLiteral("INSERT INTO refs (n) VALUES (?)"), {99});
            dangling.commit(); // a savepoint: the check waits for the outer COMMIT
            return 2;
        });
        jobs.add([](StorageSession &s) { return insertIn(s, 3); });
        jobs.release();
        QTRY_COMPARE(jobs.answers.size(), 3);
        for (const Answer &answer : std::as_const(jobs.answers)) {
            QVERIFY(!answer.result);
            QVERIFY(!answer.error.isEmpty());
        }
        QCOMPARE(numbers(), QList<int>());
        // The connection is fine and the next job commits.
        jobs.add([](StorageSession &s) { return insertIn(s, 4); });
        QTRY_COMPARE(jobs.answers.size(), 4);
        QCOMPARE(jobs.answers.last().result, std::optional<int>(4));
    }

    // Every hold bumped its event's version and held the row's lock until
    // the group's COMMIT; now a group writes each event once, at the end,
    // and announces one change per event. A refused job stages nothing.
    void aGroupWritesEachEventOnce()
    {
        QVERIFY(DemoSeeder::seed(m_db, m_clock));
        const EventRow seated = eventRow(QStringLiteral("breakfast-ii"));
        const EventRow general = eventRow(QStringLiteral("open-air"));
        const int left = general.capacity - general.held - general.sold;
        QueuedJobs jobs(m_config, m_clock);
        jobs.observeGroups();
        QVERIFY2(jobs.open(), qPrintable(jobs.error()));
        const auto seat = [&](QStringList labels, SeatState state) {
            return [&seated, labels, state](EventWrites &writes) {
                for (const QString &label : labels)
                    writes.seat(seated.id, seated.slug, label, state);
            };
        };
        jobs.add(eventJob(seat({QStringLiteral("A1")}, SeatState::Held)));
        jobs.add(placesJob(general, 2));
        jobs.add(eventJob(seat({QStringLiteral("A2")}, SeatState::Held)));
        jobs.add(eventJob(seat({QStringLiteral("A3")}, SeatState::Held)));
        jobs.add(placesJob(general, left - 1)); // one more than is left
        jobs.add(placesJob(general, 1));
        jobs.add([&general](StorageSession &s) {
            Transaction refused(s.db);
            EventWrites writes(s.db);
            writes.places(general.id, general.slug, 4, 0);
            writes.flush();
            return -2; // refused after its writes: its savepoint rolls back
        });
        jobs.release();
        QTRY_COMPARE(jobs.answers.size(), 7);
        // In the group no job writes an event or returns a change.
        QCOMPARE(resultsOf(jobs.answers), QList<int>({0, 0, 0, 0, -1, 0, -2}));
        QTRY_COMPARE(jobs.groups.size(), 1);
        const AvailabilityChanges &changes = jobs.groups.first();
        QCOMPARE(changes.size(), 2);
        const AvailabilityChange &seats = changes.at(seated.id < general.id ? 0 : 1);
        const AvailabilityChange &count = changes.at(seated.id < general.id ? 1 : 0);
        QCOMPARE(seats.event, seated.slug);
        QCOMPARE(seats.version, seated.version + 1);
        QCOMPARE(seats.seats,
            (QHash<QString, SeatState>{{QStringLiteral("A1"), SeatState::Held},
                {QStringLiteral("A2"), SeatState::Held}, {QStringLiteral("A3"), SeatState::Held}}));
        QCOMPARE(count.event, general.slug);
        QCOMPARE(count.version, general.version + 1);
        QCOMPARE(count.available, left - 3);
        QCOMPARE(eventRow(seated.slug).version, seated.version + 1);
        const EventRow after = eventRow(general.slug);
        QCOMPARE(after.version, general.version + 1);
        QCOMPARE(after.held, general.held + 3);
    }

    // The counts a group read can be stale the other way: places another
    // server released since. A GA hold is refused only against the counts
    // as committed when it asks, not as the group first read them.
    void aGroupRefusesPlacesOnlyAgainstFreshCounts()
    {
        QVERIFY(DemoSeeder::seed(m_db, m_clock));
        const EventRow general = eventRow(QStringLiteral("open-air"));
        Sql::exec(m_db,
            QStringLiteral("UPDATE events SET ga_held = capacity - ga_sold WHERE id = ?"),
            {general.id});
        const int full = general.capacity - general.sold;
        QueuedJobs jobs(m_config, m_clock);
        jobs.observeGroups();
        QVERIFY2(jobs.open(), qPrintable(jobs.error()));
        jobs.add(placesJob(general, -1)); // the group reads the counts: full
        jobs.add([&general](StorageSession &s) {
            // Another server releases two (here on the group's own
            // connection, which the group's next read sees like a commit).
            Sql::exec(s.db, QStringLiteral("UPDATE events SET ga_held = ga_held - 2 WHERE id = ?"),
                {general.id});
            return 1;
        });
        jobs.add(placesJob(general, 3)); // one released in the group, two elsewhere
        jobs.add(placesJob(general, 1));
        jobs.release();
        QTRY_COMPARE(jobs.answers.size(), 4);
        for (const Answer &answer : jobs.answers)
            QVERIFY2(answer.error.isEmpty(), qPrintable(answer.error));
        QCOMPARE(resultsOf(jobs.answers), QList<int>({0, 1, 0, -1}));
        QTRY_COMPARE(jobs.groups.size(), 1);
        QCOMPARE(eventRow(general.slug).held, full);
    }

    // A seat released by one job of a group and held by the next is not
    // merged into one "held" (a subscriber could not tell it from a seat
    // held twice): each step goes out with its own version, and the other
    // seats and events are still written once.
    void aSeatChangedTwiceInAGroupIsAnnouncedStepByStep()
    {
        QVERIFY(DemoSeeder::seed(m_db, m_clock));
        const EventRow seated = eventRow(QStringLiteral("breakfast-ii"));
        const EventRow general = eventRow(QStringLiteral("open-air"));
        QueuedJobs jobs(m_config, m_clock);
        jobs.observeGroups();
        QVERIFY2(jobs.open(), qPrintable(jobs.error()));
        const auto seat = [&](const QString &label, SeatState state) {
            return eventJob([&seated, label, state](EventWrites &writes) {
                writes.seat(seated.id, seated.slug, label, state);
            });
        };
        jobs.add(seat(QStringLiteral("A1"), SeatState::Held));
        jobs.add(seat(QStringLiteral("A2"), SeatState::Held));
        jobs.add(seat(QStringLiteral("A1"), SeatState::Available));
        jobs.add(placesJob(general, 2));
        jobs.add(seat(QStringLiteral("A1"), SeatState::Held));
        jobs.add(seat(QStringLiteral("A3"), SeatState::Held));
        jobs.release();
        QTRY_COMPARE(jobs.answers.size(), 6);
        QCOMPARE(resultsOf(jobs.answers), QList<int>({0, 0, 0, 0, 0, 0}));
        QTRY_COMPARE(jobs.groups.size(), 1);
        QList<AvailabilityChange> steps;
        for (const AvailabilityChange &change : jobs.groups.first()) {
            if (change.event == seated.slug)
                steps.append(change);
            else
                QCOMPARE(change.version, general.version + 1);
        }
        QCOMPARE(jobs.groups.first().size(), 4);
        QCOMPARE(steps.size(), 3);
        using Seats = QHash<QString, SeatState>;
        QCOMPARE(steps.at(0).seats,
            (Seats{{QStringLiteral("A1"), SeatState::Held}, {QStringLiteral("A2"), SeatState::Held},
                {QStringLiteral("A3"), SeatState::Held}}));
        QCOMPARE(steps.at(1).seats, (Seats{{QStringLiteral("A1"), SeatState::Available}}));
        QCOMPARE(steps.at(2).seats, (Seats{{QStringLiteral("A1"), SeatState::Held}}));
        for (int i = 0; i < steps.size(); ++i)
            QCOMPARE(steps.at(i).version, seated.version + 1 + i);
        QCOMPARE(eventRow(seated.slug).version, seated.version + 3);
        QCOMPARE(eventRow(general.slug).version, general.version + 1);
    }

    // The group checks GA places against the counts it read and what its
    // jobs staged; the one update checks again. When the places no longer
    // fit there (another server took some: here a job of the group writes
    // the row itself), the group rolls back and its jobs run alone.
    void aGroupWhosePlacesNoLongerFitRunsAlone()
    {
        QVERIFY(DemoSeeder::seed(m_db, m_clock));
        const EventRow general = eventRow(QStringLiteral("open-air"));
        const int left = general.capacity - general.held - general.sold;
        QueuedJobs jobs(m_config, m_clock);
        jobs.observeGroups();
        QVERIFY2(jobs.open(), qPrintable(jobs.error()));
        jobs.add(placesJob(general, left - 1));
        jobs.add([&general](StorageSession &s) {
            Transaction elsewhere(s.db);
            Sql::exec(s.db, QStringLiteral("UPDATE events SET ga_held = ga_held + 1 WHERE id = ?"),
                {general.id});
            elsewhere.commit();
            return 1;
        });
        jobs.add(placesJob(general, 1));
        jobs.release();
        QTRY_COMPARE(jobs.answers.size(), 3);
        // Alone, each job writes and announces its own change.
        QCOMPARE(resultsOf(jobs.answers), QList<int>({1, 1, -1}));
        QVERIFY(jobs.groups.isEmpty());
        const EventRow after = eventRow(general.slug);
        QCOMPARE(after.held, general.capacity - general.sold);
        QCOMPARE(after.version, general.version + 1);
    }

private:
    struct EventRow
    {
        qint64 id = 0;
        QString slug;
        qint64 version = 0;
        int capacity = 0;
        int held = 0;
        int sold = 0;
    };

    EventRow eventRow(const QString &slug)
    {
        Sql::Rows rows = Sql::exec(m_db,
            QStringLiteral(
                "SELECT id, version, capacity, ga_held, ga_sold FROM events WHERE slug = ?"),
            {slug});
        if (!rows.next())
            return {};
        return {rows.value(0).toLongLong(), slug, rows.value(1).toLongLong(), rows.value(2).toInt(),
            rows.value(3).toInt(), rows.value(4).toInt()};
    }

    /// A job that writes what \a change puts in its EventWrites: -1 when
    /// the places do not fit (rolled back), else how many changes it got.
    static std::function<int(StorageSession &)> eventJob(std::function<void(EventWrites &)> change)
    {
        return [change](StorageSession &s) {
            Transaction transaction(s.db);
            EventWrites writes(s.db);
            change(writes);
            QStringList full;
            const AvailabilityChanges changes = writes.flush(&full);
            if (!full.isEmpty())
                return -1;
            transaction.commit(changes);
            return int(changes.size());
        };
    }

    /// A job that takes \a n of \a event's GA places as held (gives them
    /// back when negative).
    static std::function<int(StorageSession &)> placesJob(const EventRow &event, int n)
    {
        return eventJob(
            [event, n](EventWrites &writes) { writes.places(event.id, event.slug, n, 0); });
    }

    static int insertIn(StorageSession &s, int n)
    {
        Transaction transaction(s.db);
        Sql::exec(s.db, QStringLiteral("INSERT INTO marks (n) VALUES (?)"), {n});
        transaction.commit();
        return n;
    }

    static QList<int> resultsOf(const QList<Answer> &answers)
    {
        QList<int> results;
        for (const Answer &answer : answers)
            results.append(answer.result.value_or(0));
        return results;
    }

    void mark(int n) { Sql::exec(m_db, QStringLiteral("INSERT INTO marks (n) VALUES (?)"), {n}); }

    int count(const QString &condition, int value)
    {
        return Sql::scalar(
            m_db, QStringLiteral("SELECT COUNT(*) FROM marks WHERE ") + condition, {value})
            .toInt();
    }

    QList<int> numbers()
    {
        QList<int> all;
        Sql::Rows rows = Sql::exec(m_db, QStringLiteral("SELECT n FROM marks ORDER BY n"));
        while (rows.next())
            all.append(rows.value(0).toInt());
        return all;
    }

    /// Marks equal to \a n as a connection of its own sees them (on the
    /// calling thread: a job's, inside the storage thread).
    int countElsewhere(int n)
    {
        const QString name = QStringLiteral("elsewhere");
        int found = -1;
        {
            QString error;
            QSqlDatabase db = openDatabase(m_config, name, &error, Schema::Untouched);
            if (db.isOpen())
                found
                    = Sql::scalar(db, QStringLiteral("SELECT COUNT(*) FROM marks WHERE n = ?"), {n})
                          .toInt();
            Sql::close(db);
        }
        QSqlDatabase::removeDatabase(name);
        return found;
    }

    Test::TestDatabases m_databases;
    ManualClock m_clock;
    DatabaseConfig m_config;
    QSqlDatabase m_db;
};

QTEST_GUILESS_MAIN(TestStorage)
#include "tst_storage.moc"
