#pragma once

#include "DatabaseConfig.h"
#include "PostgresCluster.h"

#include <QByteArray>
#include <QStringList>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <functional>
#include <memory>
#include <vector>

namespace Marquee::Bench {

/// Nanoseconds on CLOCK_MONOTONIC: one clock for every thread of the process,
/// so a send time on one thread and a receive time on another can be compared.
qint64 nowNs();

/// Latency samples in nanoseconds, summarised as percentiles in milliseconds.
class Samples
{
public:
    void add(qint64 ns) { m_ns.push_back(ns); }
    void append(const Samples &other);
    qsizetype count() const { return qsizetype(m_ns.size()); }
    /// \a p in [0, 100], nearest rank; in ms. 0 when empty.
    double percentileMs(double p) const;
    double maxMs() const { return percentileMs(100); }
    /// "p50 1.23 / p95 … / p99 … / max … ms (n)"
    QString summary(bool withP95 = true) const;

private:
    mutable std::vector<qint64> m_ns;
    mutable bool m_sorted = false;
};

/// Fresh databases on one backend: SQLite files in a temporary folder, or a
/// throwaway PostgreSQL cluster (tests/support/PostgresCluster) started on
/// first use and removed with this object.
class BenchDatabases
{
public:
    /// \a backend is "sqlite" or "postgresql"; SQLite files go to a new
    /// folder in \a sqliteDir (e.g. /dev/shm, to take the disk out) or in TMPDIR.
    bool start(const QString &backend, const QString &sqliteDir = {});
    QString error() const { return m_error; }
    DatabaseConfig fresh();
    /// The cluster's port once a PostgreSQL database was made, else 0.
    int postgresPort() const { return m_postgresPort; }

private:
    std::unique_ptr<QTemporaryDir> m_dir = std::make_unique<QTemporaryDir>();
    int m_postgresPort = 0;
    std::unique_ptr<Test::PostgresCluster> m_cluster;
    int m_count = 0;
    QString m_error;
};

/// One keep-alive HTTP/1.1 connection with one request in flight, parsed by
/// hand. QNetworkAccessManager costs several times the server's own work
/// per request, and on a 2-core machine the client's CPU is taken from the
/// server, so the load generator must be as cheap as possible.
class HttpConnection
{
public:
    struct Answer
    {
        int status = 0; ///< 0: the connection failed
        QByteArray body;
        qint64 sentNs = 0; ///< nowNs() when the request was written
        qint64 latencyNs = 0;
    };
    using Handler = std::function<void(const Answer &)>;

    explicit HttpConnection(quint16 port);
    /// Blocks (setup only) until connected.
    bool connectNow(int timeoutMs = 10'000);
    void send(const QByteArray &method, const QByteArray &path, const QByteArray &token,
        const QByteArray &body, Handler handler);
    /// send() and wait, spinning the event loop; for setup and one-at-a-time use.
    Answer exchange(const QByteArray &method, const QByteArray &path, const QByteArray &token = {},
        const QByteArray &body = {}, int timeoutMs = 30'000);
    bool busy() const { return bool(m_handler); }

private:
    void onReadyRead();
    void fail();

    QTcpSocket m_socket;
    quint16 m_port;
    QByteArray m_in;
    Handler m_handler;
    qint64 m_sentNs = 0;
};

/// Seat labels that are "available" in an availability snapshot body.
QStringList availableSeats(const QByteArray &snapshotBody);

/// A cart: {id, token}. Empty on failure.
std::pair<QByteArray, QByteArray> newCart(HttpConnection &connection);

/// Raises this process's open-file limit to its hard limit (children such as
/// the server inherit it); returns the new soft limit.
long raiseFileLimit();

/// CPU seconds (user+system) of each thread of \a pid, by thread name, plus
/// "postgres" for the cluster on \a postgresPort (0: none).
std::vector<std::pair<QString, double>> threadCpuSeconds(qint64 pid, int postgresPort = 0);
/// The pid of this process's child running \a name (comm), or 0.
qint64 childPid(const QString &name);
/// "socket 1.23 s, storage 0.45 s" from two threadCpuSeconds() readings, as a share of \a
/// wallSeconds.
QString cpuShare(const std::vector<std::pair<QString, double>> &before,
    const std::vector<std::pair<QString, double>> &after, double wallSeconds);
/// CPU seconds this process used so far (all threads).
double ownCpuSeconds();

/// Sets MARQUEE_SERVER to the built server when the caller did not.
void defaultServerProgram();

/// Prints a result row for run.sh's table: "ROW|bench|backend|what|value".
void row(const QString &bench, const QString &backend, const QString &what, const QString &value);

} // namespace Marquee::Bench
