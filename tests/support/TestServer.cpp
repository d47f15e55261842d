#include "TestServer.h"

#include "Passwords.h"
#include "Sessions.h"
#include "Storage.h"
#include "Tokens.h"
#include "Users.h"

namespace Marquee::Test {

TestServer::TestServer(const DatabaseConfig &database, qint64 holdSeconds)
    : m_database(database)
    , m_clock(QDateTime::currentDateTimeUtc())
{
    m_options.database = database;
    m_options.address = QHostAddress::LocalHost;
    m_options.port = 0;
    m_options.demo = true;
    m_options.demoArena = false;
    m_options.holdSeconds = holdSeconds;
}

TestServer::~TestServer() = default;

bool TestServer::start()
{
    m_server = std::make_unique<MarqueeServer>(
        m_options, m_realTime ? static_cast<const Clock &>(m_systemClock) : m_clock);
    if (!m_server->start(&m_error))
        return false;
    m_staffToken = issueToken(Role::Manager);
    return true;
}

QString TestServer::issueToken(Role role)
{
    return m_server->storage().runBlocking<QString>([role](StorageSession &s) {
        const Users users(s.db, s.clock);
        const QString name = QStringLiteral("test-%1-%2").arg(roleName(role), Tokens::newId(u"u"));
        // "!" is no argon2id string: nobody can sign in with a password.
        users.save(name, QStringLiteral("!"), role);
        return Sessions(s.db, s.clock).open(*users.find(name)).token;
    });
}

void TestServer::addUser(const QString &name, const QString &password, Role role)
{
    const QString hash = Passwords::hash(password);
    m_server->storage().runBlocking<bool>(
        [=](StorageSession &s) { return Users(s.db, s.clock).save(name, hash, role); });
}

QString TestServer::issueCredential(Credentials::Purpose purpose)
{
    return m_server->storage().runBlocking<QString>([purpose](StorageSession &s) {
        return Credentials(s.db, s.clock)
            .issue(Tokens::newId(u"test"), purpose, 30, {QStringLiteral("test"), {}})
            ->token;
    });
}

QUrl TestServer::httpUrl() const
{
    const QString scheme
        = m_options.tlsCert.isEmpty() ? QStringLiteral("http") : QStringLiteral("https");
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/").arg(scheme).arg(m_server->port()));
}

QUrl TestServer::channelUrl(const QString &event) const
{
    const QString scheme
        = m_options.tlsCert.isEmpty() ? QStringLiteral("ws") : QStringLiteral("wss");
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/events/%3/messages")
                    .arg(scheme)
                    .arg(m_server->port())
                    .arg(event));
}

} // namespace Marquee::Test
