#pragma once

#include "DatabaseConfig.h"
#include "PostgresCluster.h"

#include <QTemporaryDir>
#include <memory>

namespace Marquee::Test {

/// Fresh, empty databases for one test process, on the backend the test run
/// asks for (see testsUsePostgres()): SQLite files in a temporary folder, or
/// databases in a throwaway PostgreSQL cluster started on first use.
class TestDatabases
{
public:
    bool start();
    QString error() const { return m_error; }
    bool postgres() const { return m_cluster != nullptr; }
    /// The PostgreSQL cluster, once started; null on SQLite.
    PostgresCluster *cluster() { return m_cluster.get(); }

    DatabaseConfig fresh();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PostgresCluster> m_cluster;
    int m_count = 0;
    QString m_error;
};

} // namespace Marquee::Test
