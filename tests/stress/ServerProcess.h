#pragma once

#include "DatabaseConfig.h"

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace Marquee::Test {

/// The real `marquee-server` executable (path in MARQUEE_SERVER) as a child
/// process on a port the kernel picks: started, read for its port and the
/// demo clerk's password, killed with SIGKILL when a test wants a crash. Also runs the
/// one-shot `--check` command.
class ServerProcess
{
public:
    ServerProcess();
    ~ServerProcess();
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    /// Empty when MARQUEE_SERVER is set and names a file.
    static QString programProblem();

    /// Starts on \a database with `--listen 127.0.0.1:0 --demo` and
    /// \a extraArguments; waits (on the process's output, up to 30 s) for the
    /// line with the port. False with error() when it does not come.
    bool start(const DatabaseConfig &database, const QStringList &extraArguments = {});
    /// start() in two steps, so several servers can be started at once.
    void launch(const DatabaseConfig &database, const QStringList &extraArguments = {});
    bool waitUntilServing();
    /// The demo clerk's password, if this server printed one.
    QString clerkPassword() const { return m_clerkPassword; }
    /// SIGKILL, as a power cut or an OOM killer would: no clean-up runs.
    void kill();
    /// SIGTERM, then SIGKILL if it does not go.
    void stop();

    bool running() const { return m_process.state() != QProcess::NotRunning; }
    quint16 port() const { return m_port; }
    QUrl httpUrl() const;
    QUrl channelUrl(const QString &event) const;
    /// A session of the demo clerk, signed in with the password the server
    /// prints on the very first start of a database only; empty otherwise.
    QString staffToken();
    QString error() const { return m_error; }
    QByteArray output() const { return m_output; }

    struct CheckResult
    {
        int exitCode = -1;
        QString output;
    };
    /// `marquee-server --check --db ...` (plus \a extraArguments), to its end.
    static CheckResult check(
        const DatabaseConfig &database, const QStringList &extraArguments = {});
    /// One run of the program to its end, with \a input on its standard input.
    static CheckResult runServer(const QStringList &arguments, const QByteArray &input = {});

    /// The --db argument for \a database.
    static QString dbArgument(const DatabaseConfig &database);

private:
    void readOutput();

    QProcess m_process;
    QByteArray m_output;
    QString m_error;
    QString m_clerkPassword;
    QString m_staffToken;
    quint16 m_port = 0;
};

} // namespace Marquee::Test
