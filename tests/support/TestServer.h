#pragma once

#include "Clock.h"
#include "Credentials.h"
#include "MarqueeServer.h"
#include "Role.h"

#include <QUrl>
#include <memory>

namespace Marquee::Test {

/// A whole server in the test process: a fresh database (from
/// TestDatabases) seeded with the demo, a free loopback port, and a clock
/// the test moves.
class TestServer
{
public:
    TestServer(const DatabaseConfig &database, qint64 holdSeconds = 900);
    ~TestServer();

    /// What start() will use; change it before calling start().
    ServerOptions &options() { return m_options; }
    /// Runs on the system clock instead of the test's (call before start()):
    /// for tests of the real timers across several servers.
    void useSystemClock() { m_realTime = true; }
    bool start();
    QString error() const { return m_error; }

    MarqueeServer &server() { return *m_server; }
    ManualClock &clock() { return m_clock; }
    QUrl httpUrl() const;
    QUrl channelUrl(const QString &event) const;
    const DatabaseConfig &database() const { return m_database; }
    /// A manager's session, opened at start.
    QString staffToken() const { return m_staffToken; }
    /// Opens a session for a new user with \a role (named after it, with a
    /// password nobody knows: the tests skip the slow hash).
    QString issueToken(Role role);
    /// Creates (or updates) user \a name with a real argon2id hash of
    /// \a password, for tests that sign in as a clerk would.
    void addUser(const QString &name, const QString &password, Role role);
    /// A new machine credential's token.
    QString issueCredential(Credentials::Purpose purpose = Credentials::Purpose::Payments);

private:
    DatabaseConfig m_database;
    ServerOptions m_options;
    ManualClock m_clock;
    SystemClock m_systemClock;
    bool m_realTime = false;
    std::unique_ptr<MarqueeServer> m_server;
    QString m_error;
    QString m_staffToken;
};

} // namespace Marquee::Test
