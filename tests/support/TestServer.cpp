#include "TestServer.h"

#include "Storage.h"

namespace Marquee::Test {

TestServer::TestServer(const DatabaseConfig &database, qint64 holdSeconds)
    : m_database(database)
    , m_clock(QDateTime::currentDateTimeUtc())
{
    m_options.database = database;
    m_options.address = QHostAddress::LocalHost;
    m_options.port = 0;
    m_options.demo = true;
    m_options.holdSeconds = holdSeconds;
}

TestServer::~TestServer() = default;

bool TestServer::start()
{
    m_server = std::make_unique<MarqueeServer>(
        m_options, m_realTime ? static_cast<const Clock &>(m_systemClock) : m_clock);
    if (!m_server->start(&m_error))
        return false;
    m_staffToken = m_server->firstStaffToken().value_or(QString());
    return true;
}

QString TestServer::issueToken(StaffTokens::Role role)
{
    return m_server->storage().runBlocking<QString>(
        [role](StorageSession &s) { return StaffTokens(s.db, s.clock).issue(role); });
}

QUrl TestServer::httpUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_server->port()));
}

QUrl TestServer::channelUrl(const QString &event) const
{
    return QUrl(
        QStringLiteral("ws://127.0.0.1:%1/events/%2/messages").arg(m_server->port()).arg(event));
}

} // namespace Marquee::Test
