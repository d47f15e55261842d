#include "Storage.h"

#include "ConnectionState.h"
#include "EventWrites.h"
#include "GroupEventWrites.h"
#include "Migrations.h"

#include <QAtomicInt>
#include <QDateTime>
#include <QSqlDriver>
#include <QSqlError>

namespace Marquee {

namespace {

/// Makes \a events the group's, on \a db's connection, for as long as it lives.
class GroupScope
{
public:
    GroupScope(const QSqlDatabase &db, GroupEventWrites *events)
        : m_nesting(ConnectionState::of(db).nesting)
    {
        m_nesting.group = events;
    }
    ~GroupScope() { m_nesting.group = nullptr; }
    GroupScope(const GroupScope &) = delete;
    GroupScope &operator=(const GroupScope &) = delete;

private:
    TransactionNesting &m_nesting;
};

} // namespace

namespace {
QAtomicInt connectionCounter;
}

Storage::Storage(DatabaseConfig config, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_clock(clock)
    , m_worker(std::make_unique<QObject>())
    , m_connectionName(
          QStringLiteral("marquee-storage-%1").arg(connectionCounter.fetchAndAddRelaxed(1)))
{
    m_thread.setObjectName(QStringLiteral("storage"));
    m_worker->moveToThread(&m_thread);
}

Storage::~Storage()
{
    if (m_thread.isRunning()) {
        QMetaObject::invokeMethod(
            m_worker.get(),
            [this] {
                if (m_session) {
                    Sql::close(m_session->db);
                    m_session.reset();
                }
                QSqlDatabase::removeDatabase(m_connectionName);
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    // The worker belongs to the finished thread; deleting it here is safe
    // because its event loop is gone.
    m_worker.reset();
}

bool Storage::open(QString *error)
{
    m_thread.start();
    bool ok = false;
    QMetaObject::invokeMethod(
        m_worker.get(),
        [this, &ok, error] {
            QSqlDatabase db = openDatabase(m_config, m_connectionName, error);
            if (!db.isOpen())
                return;
            m_session = std::make_unique<StorageSession>(StorageSession{db, m_clock});
            ok = true;
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

QSqlDatabase openDatabase(
    const DatabaseConfig &config, const QString &connectionName, QString *error, Schema schema)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(config.driverName(), connectionName);
    if (config.backend == DatabaseConfig::Backend::Sqlite) {
        db.setDatabaseName(config.path);
        // Wait for another process's write lock (a command-line tool, a
        // second server) instead of failing at once.
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    } else {
        db.setHostName(config.host);
        db.setPort(config.port);
        db.setUserName(config.user);
        db.setPassword(config.password);
        db.setDatabaseName(config.database);
        // libpq prints NOTICEs (e.g. "relation ... already exists, skipping"
        // from the migrations) to stderr, where they read like problems in
        // an operator's `--check` output or a server log.
        // Times come back in UTC, whatever the server's own time zone. A
        // database host that drops packets must not stall the storage
        // thread for the system's two-minute TCP timeout: connecting gives
        // up after 5 s and keepalives notice a dead peer within a minute.
        db.setConnectOptions(
            QStringLiteral("options='-c client_min_messages=warning -c timezone=UTC';"
                           "connect_timeout=5;keepalives_idle=30;keepalives_interval=10;"
                           "keepalives_count=3"));
    }
    if (!db.open()) {
        *error = db.lastError().text();
        return db;
    }
    try {
        if (Sql::isSqlite(db)) {
            Sql::exec(db, QStringLiteral("PRAGMA journal_mode = WAL"));
            // FULL: a confirmed sale survives a power cut, not only a crash.
            Sql::exec(db, QStringLiteral("PRAGMA synchronous = FULL"));
            Sql::exec(db, QStringLiteral("PRAGMA foreign_keys = ON"));
            // The savepoints of a group commit journal every page they first
            // touch, for a rollback to them: kept in a temporary file, that
            // was three of every four writes of a busy server (measured).
            Sql::exec(db, QStringLiteral("PRAGMA temp_store = MEMORY"));
            // 32 MiB of page cache (SQLite's default is 2 MiB): the hot
            // pages of a busy event stay in memory instead of being read
            // again after every few commits.
            Sql::exec(db, QStringLiteral("PRAGMA cache_size = -32768"));
        }
        if (schema == Schema::Migrate) {
            Migrations::apply(db);
            // Plans prepared before a schema change may not fit it.
            ConnectionState::of(db).statements.clear();
        } else if (schema == Schema::MustBeCurrent) {
            const QVariant version
                = Sql::scalar(db, QStringLiteral("SELECT MAX(version) FROM schema_version"));
            if (version.toInt() != Migrations::latest()) {
                *error = QStringLiteral("the database schema is version %1, this program knows %2")
                             .arg(version.toInt())
                             .arg(Migrations::latest());
                Sql::close(db);
            }
        }
    } catch (const StorageError &failure) {
        *error = QString::fromStdString(failure.what());
        Sql::close(db);
    }
    return db;
}

void Storage::checkConnection()
{
    if (m_broken || !m_session || Sql::isSqlite(m_session->db))
        return;
    QSqlQuery probe(m_session->db);
    if (probe.exec(QStringLiteral("SELECT 1")))
        return;
    qWarning("storage: the database connection is lost: %s", qPrintable(probe.lastError().text()));
    m_broken = true;
    m_backoffMs = 0;
    m_retryAtMs = 0; // the next job tries at once
}

void Storage::ensureConnected()
{
    if (!m_broken)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now < m_retryAtMs)
        throw StorageError(QStringLiteral("the database is not reachable"));
    Sql::close(m_session->db);
    m_session->db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    QString error;
    QSqlDatabase db = openDatabase(m_config, m_connectionName, &error);
    m_session->db = db;
    if (!db.isOpen()) {
        m_backoffMs = qBound(250, m_backoffMs * 2, 5'000);
        m_retryAtMs = now + m_backoffMs;
        throw StorageError(QStringLiteral("the database is not reachable: ") + error);
    }
    qInfo("storage: connected to the database again");
    m_broken = false;
    QMetaObject::invokeMethod(
        this, [this] { emit reconnected(); }, Qt::QueuedConnection);
}

void Storage::setCommitObserver(std::function<void(std::chrono::microseconds)> observer)
{
    m_commitObserver = std::move(observer);
}

void Storage::post(Commit commit, std::function<Completion(StorageSession &, bool grouped)> task)
{
    m_waiting.fetchAndAddRelaxed(1);
    bool schedule = false;
    {
        const QMutexLocker lock(&m_queueMutex);
        m_queue.push_back(Task{commit, std::move(task), Steady::now()});
        schedule = !std::exchange(m_drainPosted, true);
    }
    if (schedule)
        QMetaObject::invokeMethod(
            m_worker.get(), [this] { drain(); }, Qt::QueuedConnection);
}

std::vector<Storage::Task> Storage::takeNext()
{
    // The next job, and when it may share its commit, the Shared jobs
    // queued right behind it: order is kept, a group never jumps a job.
    const QMutexLocker lock(&m_queueMutex);
    std::vector<Task> tasks;
    while (!m_queue.empty() && int(tasks.size()) < MaxGroup) {
        const bool shared = m_queue.front().commit == Commit::Shared;
        if (!tasks.empty() && !shared)
            break;
        tasks.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
        if (!shared)
            break;
    }
    if (tasks.empty())
        m_drainPosted = false;
    m_waiting.fetchAndAddRelaxed(-int(tasks.size()));
    return tasks;
}

void Storage::drain()
{
    std::vector<Task> tasks = takeNext();
    if (tasks.empty() || !m_session)
        return;
    if (tasks.size() == 1) {
        std::vector<Completion> completions;
        completions.push_back(tasks.front().run(*m_session, false));
        observe(tasks);
        answer(std::move(completions), {});
    } else {
        runGroup(tasks);
    }
    // One group per turn of the thread's event loop, so that runBlocking
    // and the thread's own events are not starved behind a long queue.
    QMetaObject::invokeMethod(
        m_worker.get(), [this] { drain(); }, Qt::QueuedConnection);
}

void Storage::runGroup(std::vector<Task> &tasks)
{
    std::vector<Completion> completions;
    completions.reserve(tasks.size());
    bool committing = false;
    try {
        ensureConnected();
        Transaction group(m_session->db);
        GroupEventWrites events;
        const GroupScope scope(m_session->db, &events);
        for (Task &task : tasks) {
            Completion done = task.run(*m_session, true);
            if (done.failed)
                break; // the group's destructor rolls everything back
            completions.push_back(std::move(done));
        }
        if (completions.size() == tasks.size()) {
            const AvailabilityChanges changes = writeEvents(events);
            committing = true;
            group.commit(changes);
            observe(tasks);
            return answer(std::move(completions), {}, changes);
        }
    } catch (const StorageError &failure) {
        if (committing) {
            // Nobody knows what a failed COMMIT kept: every job of the
            // group is answered with the error, as a job alone would be.
            checkConnection();
            observe(tasks);
            return answer(std::move(completions), QString::fromStdString(failure.what()));
        }
    }
    // Nothing of the group was committed: each job runs again on its own,
    // exactly as if there had been no group, and fails or succeeds alone.
    completions.clear();
    for (Task &task : tasks)
        completions.push_back(task.run(*m_session, false));
    observe(tasks);
    answer(std::move(completions), {});
}

AvailabilityChanges Storage::writeEvents(const GroupEventWrites &events)
{
    ConnectionState::of(m_session->db).nesting.group = nullptr; // these writes are real
    AvailabilityChanges changes;
    for (int part = 0; part < events.parts(); ++part) {
        EventWrites merged(m_session->db);
        events.mergeInto(merged, part);
        QStringList full;
        changes += merged.flush(&full);
        // Another server took places since the group read the counts: the
        // group rolls back and its jobs run again alone, each checked under
        // the event's lock.
        if (!full.isEmpty())
            throw StorageError(QStringLiteral("the group's places no longer fit in %1")
                                   .arg(full.join(QStringLiteral(", "))));
    }
    return changes;
}

void Storage::answer(std::vector<Completion> completions, const QString &commitError,
    const AvailabilityChanges &groupChanges)
{
    // One queued call for the whole group; the answers keep their order,
    // and the group's changes are announced before any of them.
    QMetaObject::invokeMethod(
        this,
        [completions = std::move(completions), commitError, groupChanges,
            publish = m_groupChangesObserver] {
            if (!groupChanges.isEmpty() && publish)
                publish(groupChanges);
            for (const Completion &completion : completions)
                completion.answer(commitError);
        },
        Qt::QueuedConnection);
}

void Storage::setGroupChangesObserver(std::function<void(const AvailabilityChanges &)> observer)
{
    m_groupChangesObserver = std::move(observer);
}

void Storage::observe(const std::vector<Task> &tasks)
{
    if (!m_commitObserver)
        return;
    const Steady::time_point now = Steady::now();
    for (const Task &task : tasks)
        m_commitObserver(std::chrono::duration_cast<std::chrono::microseconds>(now - task.posted));
}

} // namespace Marquee
