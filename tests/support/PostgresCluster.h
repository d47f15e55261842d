#pragma once

#include "DatabaseConfig.h"

#include <QString>
#include <QTemporaryDir>

namespace Marquee::Test {

/// A throwaway PostgreSQL cluster on a free loopback port, started by the
/// test itself and stopped when this object goes, so no test depends on a
/// server left running. As root it runs the cluster as the postgres user
/// (initdb refuses root).
class PostgresCluster
{
public:
    PostgresCluster();
    ~PostgresCluster();
    PostgresCluster(const PostgresCluster &) = delete;
    PostgresCluster &operator=(const PostgresCluster &) = delete;

    bool start();
    QString error() const { return m_error; }

    /// Stops the cluster as an operator's restart would (connections are
    /// cut), and starts it again on the same port and data.
    bool stop();
    bool resume();

    /// Creates an empty database and returns where it is.
    DatabaseConfig createDatabase(const QString &name);

private:
    bool run(const QString &program, const QStringList &arguments);
    bool launch();

    QTemporaryDir m_dir;
    QString m_bin;
    int m_port = 0;
    bool m_running = false;
    QString m_error;
};

/// Which backend the tests in this process use: MARQUEE_TEST_BACKEND is
/// "postgresql" for the PostgreSQL run of a test, anything else for SQLite.
bool testsUsePostgres();

} // namespace Marquee::Test
