#include "PostgresCluster.h"

#include <QDir>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <unistd.h>

namespace Marquee::Test {

namespace {

QString findPostgresBin()
{
    const QStringList versions = QDir(QStringLiteral("/usr/lib/postgresql"))
                                     .entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (auto it = versions.crbegin(); it != versions.crend(); ++it) {
        const QString bin = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(*it);
        if (QFile::exists(bin + QStringLiteral("/initdb")))
            return bin;
    }
    return {};
}

int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

bool isRoot()
{
    return ::geteuid() == 0;
}

} // namespace

bool testsUsePostgres()
{
    return qEnvironmentVariable("MARQUEE_TEST_BACKEND") == QLatin1String("postgresql");
}

PostgresCluster::PostgresCluster() = default;

PostgresCluster::~PostgresCluster()
{
    if (m_running) {
        run(m_bin + QStringLiteral("/pg_ctl"),
            {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")), QStringLiteral("-m"),
                QStringLiteral("immediate"), QStringLiteral("-w"), QStringLiteral("stop")});
    }
}

bool PostgresCluster::run(const QString &program, const QStringList &arguments)
{
    QProcess process;
    if (isRoot()) {
        process.setProgram(QStringLiteral("runuser"));
        process.setArguments(QStringList{QStringLiteral("-u"), QStringLiteral("postgres"),
                                 QStringLiteral("--"), program}
            + arguments);
    } else {
        process.setProgram(program);
        process.setArguments(arguments);
    }
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start();
    if (!process.waitForFinished(60'000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        m_error = program + QStringLiteral(": ") + QString::fromLocal8Bit(process.readAll());
        return false;
    }
    return true;
}

bool PostgresCluster::start()
{
    m_bin = findPostgresBin();
    if (m_bin.isEmpty()) {
        m_error = QStringLiteral(
            "PostgreSQL is not installed (installer/setup.sh --tests installs it)");
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary folder");
        return false;
    }
    if (isRoot()) {
        // The cluster runs as postgres, which must own its folder.
        QProcess::execute(
            QStringLiteral("chown"), {QStringLiteral("postgres:postgres"), m_dir.path()});
    }
    const QString data = m_dir.filePath(QStringLiteral("data"));
    if (!run(m_bin + QStringLiteral("/initdb"),
            {QStringLiteral("-D"), data, QStringLiteral("-U"), QStringLiteral("postgres"),
                QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-E"),
                QStringLiteral("UTF8"), QStringLiteral("--no-sync")}))
        return false;
    // A port can be taken between probing and binding; try a few.
    for (int attempt = 0; attempt < 5 && !m_running; ++attempt) {
        m_port = freePort();
        m_running = launch();
    }
    return m_running;
}

bool PostgresCluster::launch()
{
    return run(m_bin + QStringLiteral("/pg_ctl"),
        {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")), QStringLiteral("-l"),
            m_dir.filePath(QStringLiteral("log")), QStringLiteral("-o"),
            QStringLiteral(
                "-k %1 -p %2 -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200")
                .arg(m_dir.path())
                .arg(m_port),
            QStringLiteral("-w"), QStringLiteral("start")});
}

bool PostgresCluster::stop()
{
    m_running = !run(m_bin + QStringLiteral("/pg_ctl"),
        {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")), QStringLiteral("-m"),
            QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("stop")});
    return !m_running;
}

bool PostgresCluster::resume()
{
    m_running = launch();
    return m_running;
}

DatabaseConfig PostgresCluster::createDatabase(const QString &name)
{
    {
        QSqlDatabase admin
            = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("pg-admin"));
        admin.setHostName(QStringLiteral("127.0.0.1"));
        admin.setPort(m_port);
        admin.setUserName(QStringLiteral("postgres"));
        admin.setDatabaseName(QStringLiteral("postgres"));
        if (admin.open()) {
            QSqlQuery query(admin);
            if (!query.exec(QStringLiteral("CREATE DATABASE \"%1\"").arg(name)))
                m_error = query.lastError().text();
        } else {
            m_error = admin.lastError().text();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("pg-admin"));

    DatabaseConfig config;
    config.backend = DatabaseConfig::Backend::Postgres;
    config.host = QStringLiteral("127.0.0.1");
    config.port = m_port;
    config.user = QStringLiteral("postgres");
    config.database = name;
    return config;
}

} // namespace Marquee::Test
