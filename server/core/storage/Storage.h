#pragma once

#include "AvailabilityChange.h"
#include "DatabaseConfig.h"
#include "Sql.h"

#include <QAtomicInt>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QSqlDatabase>
#include <QThread>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace Marquee {

class Clock;
class GroupEventWrites;

/// Opens a connection named \a connectionName on the calling thread, sets
/// SQLite up (WAL, full sync, foreign keys) and migrates the schema (or,
/// for a reader that must change nothing, insists it is current). On
/// failure the returned database is closed and \a error says why.
enum class Schema
{
    Migrate,
    MustBeCurrent,
    Untouched ///< a connection that reads no table (the LISTEN connection)
};
QSqlDatabase openDatabase(const DatabaseConfig &config, const QString &connectionName,
    QString *error, Schema schema = Schema::Migrate);

/// What a storage job gets: the thread's own connection and the clock.
struct StorageSession
{
    QSqlDatabase db;
    const Clock &clock;
};

/// Owns the database connection on a thread of its own, so the event loop
/// that serves sockets never waits on a database lock. Jobs run one after
/// another in submission order; their results come back to the caller's
/// thread in the same order, which is also commit order — the realtime layer
/// relies on that to apply changes in sequence.
class Storage : public QObject
{
    Q_OBJECT

public:
    Storage(DatabaseConfig config, const Clock &clock, QObject *parent = nullptr);
    ~Storage() override;

    /// Starts the thread, opens the database and migrates it. Blocks: call it
    /// at start-up, before serving anyone.
    bool open(QString *error);

    template <typename Result>
    using Done = std::function<void(std::optional<Result> result, const QString &error)>;

    /// How a job may commit. A Shared job may run in one transaction with
    /// the Shared jobs queued right behind it (group commit: one flush and
    /// one NOTIFY for all of them; each job's own Transaction becomes a
    /// savepoint, so a refused one rolls back alone, and every result is
    /// answered after the one COMMIT). A Shared job writes only inside a
    /// Transaction, reads no ReadSnapshot, and changes nothing outside the
    /// database: when any job of a group fails, the group rolls back and
    /// each of its jobs runs again, alone.
    enum class Commit
    {
        Own,
        Shared
    };

    /// Runs \a job on the storage thread; \a done runs on this object's thread
    /// with the job's result, or nullopt and the error of a failed statement.
    template <typename Result>
    void run(
        std::function<Result(StorageSession &)> job, Done<Result> done, Commit commit = Commit::Own)
    {
        post(commit,
            [this, job = std::move(job), done = std::move(done)](
                StorageSession &session, bool grouped) {
                std::optional<Result> result;
                QString error;
                try {
                    ensureConnected();
                    result = job(session);
                } catch (const StorageError &failure) {
                    error = QString::fromStdString(failure.what());
                    // In a group the failure is the group's; the job runs again alone.
                    if (!grouped)
                        checkConnection();
                }
                const bool failed = !result.has_value();
                return Completion{
                    failed, [done, result = std::move(result), error](const QString &commitError) {
                        if (commitError.isEmpty())
                            done(result, error);
                        else
                            done(std::nullopt, commitError);
                    }};
            });
    }

    /// Called on the storage thread for every job that ran, with the time
    /// from its posting to its commit (or its failure): for /metrics.
    void setCommitObserver(std::function<void(std::chrono::microseconds)> observer);
    /// Called on this object's thread with what a group commit did to
    /// events, one change per event and part (GroupEventWrites), in
    /// version order, right before its
    /// jobs are answered: the jobs' own results carry none of it. Set it
    /// before the first job.
    void setGroupChangesObserver(std::function<void(const AvailabilityChanges &)> observer);

    /// Most Shared jobs one transaction takes.
    static constexpr int MaxGroup = 64;

    /// Jobs posted that have not started yet. Read from any thread: the HTTP
    /// layer refuses new requests when too many wait (see StorageGate), so
    /// a flood cannot grow the queue, and everyone's wait, without bound.
    int waiting() const { return m_waiting.loadRelaxed(); }

    /// Runs \a job and waits for it: for start-up and command-line tools only.
    template <typename Result> Result runBlocking(std::function<Result(StorageSession &)> job)
    {
        std::optional<Result> result;
        QString error;
        QMetaObject::invokeMethod(
            m_worker.get(),
            [&] {
                try {
                    ensureConnected();
                    result = job(*m_session);
                } catch (const StorageError &failure) {
                    error = QString::fromStdString(failure.what());
                    checkConnection();
                }
            },
            Qt::BlockingQueuedConnection);
        if (!result)
            throw StorageError(error);
        return *result;
    }

signals:
    /// The connection was lost and is back: whatever other servers
    /// committed meanwhile has not been heard, and must be read again.
    void reconnected();

private:
    using Steady = std::chrono::steady_clock;
    /// What a job leaves: whether it failed, and how to answer its caller
    /// once the commit is known (a commit error overrides the result).
    struct Completion
    {
        bool failed = false;
        std::function<void(const QString &commitError)> answer;
    };
    struct Task
    {
        Commit commit;
        std::function<Completion(StorageSession &, bool grouped)> run;
        Steady::time_point posted;
    };

    void post(Commit commit, std::function<Completion(StorageSession &, bool grouped)> task);
    /// Storage thread: runs what is queued, a group of Shared jobs at a time.
    void drain();
    std::vector<Task> takeNext();
    void runGroup(std::vector<Task> &tasks);
    /// Writes what the group's jobs staged for events; throws StorageError
    /// when GA places no longer fit (the group then runs alone).
    AvailabilityChanges writeEvents(const GroupEventWrites &events);
    void answer(std::vector<Completion> completions, const QString &commitError,
        const AvailabilityChanges &groupChanges = {});
    void observe(const std::vector<Task> &tasks);
    /// Storage thread: after a connection was lost, opens a new one before
    /// the next job (at most once per backoff interval; until then jobs
    /// fail at once). Throws StorageError while the database is away.
    void ensureConnected();
    /// Storage thread, after a failed job: a failed statement on a working
    /// connection is the job's problem; a dead connection is replaced.
    void checkConnection();

    DatabaseConfig m_config;
    const Clock &m_clock;
    QThread m_thread;
    std::unique_ptr<QObject> m_worker;
    std::unique_ptr<StorageSession> m_session; ///< lives on the storage thread
    QString m_connectionName;
    QAtomicInt m_waiting;
    QMutex m_queueMutex;
    std::deque<Task> m_queue; ///< guarded by m_queueMutex
    bool m_drainPosted = false; ///< guarded by m_queueMutex
    std::function<void(std::chrono::microseconds)> m_commitObserver;
    std::function<void(const AvailabilityChanges &)> m_groupChangesObserver;
    // Storage thread only:
    bool m_broken = false;
    qint64 m_retryAtMs = 0;
    int m_backoffMs = 0;
};

} // namespace Marquee
