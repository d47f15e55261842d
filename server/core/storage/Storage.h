#pragma once

#include "DatabaseConfig.h"
#include "Sql.h"

#include <QAtomicInt>
#include <QObject>
#include <QPointer>
#include <QSqlDatabase>
#include <QThread>
#include <functional>
#include <memory>
#include <optional>

namespace Marquee {

class Clock;

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

    /// Runs \a job on the storage thread; \a done runs on this object's thread
    /// with the job's result, or nullopt and the error of a failed statement.
    template <typename Result>
    void run(std::function<Result(StorageSession &)> job, Done<Result> done)
    {
        post([this, job = std::move(job), done = std::move(done)](StorageSession &session) {
            std::optional<Result> result;
            QString error;
            try {
                ensureConnected();
                result = job(session);
            } catch (const StorageError &failure) {
                error = QString::fromStdString(failure.what());
                checkConnection();
            }
            QMetaObject::invokeMethod(
                this, [done, result = std::move(result), error] { done(result, error); },
                Qt::QueuedConnection);
        });
    }

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
    void post(std::function<void(StorageSession &)> task);
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
    // Storage thread only:
    bool m_broken = false;
    qint64 m_retryAtMs = 0;
    int m_backoffMs = 0;
};

} // namespace Marquee
