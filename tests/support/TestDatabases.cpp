#include "TestDatabases.h"

namespace Marquee::Test {

bool TestDatabases::start()
{
    if (!testsUsePostgres())
        return m_dir.isValid();
    m_cluster = std::make_unique<PostgresCluster>();
    if (!m_cluster->start()) {
        m_error = m_cluster->error();
        return false;
    }
    return true;
}

DatabaseConfig TestDatabases::fresh()
{
    ++m_count;
    if (m_cluster)
        return m_cluster->createDatabase(QStringLiteral("marquee_test_%1").arg(m_count));
    DatabaseConfig config;
    config.backend = DatabaseConfig::Backend::Sqlite;
    config.path = m_dir.filePath(QStringLiteral("marquee-%1.db").arg(m_count));
    return config;
}

} // namespace Marquee::Test
