#include "ServerProcess.h"

#include "HttpClient.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTimer>

namespace Marquee::Test {

namespace {

QString program()
{
    return qEnvironmentVariable("MARQUEE_SERVER");
}

} // namespace

ServerProcess::ServerProcess()
{
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { readOutput(); });
    // The server's warnings are worth seeing in the test log, as they come.
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
}

ServerProcess::~ServerProcess()
{
    stop();
}

QString ServerProcess::programProblem()
{
    if (program().isEmpty())
        return QStringLiteral(
            "MARQUEE_SERVER is not set (ctest sets it to the built marquee-server)");
    if (!QFileInfo(program()).isExecutable())
        return QStringLiteral("MARQUEE_SERVER=%1 is not an executable").arg(program());
    return {};
}

QString ServerProcess::dbArgument(const DatabaseConfig &database)
{
    // describe() is exactly the --db form and never has a password; the test
    // databases have none.
    return database.describe();
}

bool ServerProcess::start(const DatabaseConfig &database, const QStringList &extraArguments)
{
    launch(database, extraArguments);
    return waitUntilServing();
}

void ServerProcess::launch(const DatabaseConfig &database, const QStringList &extraArguments)
{
    m_output.clear();
    m_port = 0;
    m_error.clear();
    m_process.start(program(),
        QStringList{QStringLiteral("--db"), dbArgument(database), QStringLiteral("--listen"),
            QStringLiteral("127.0.0.1:0"), QStringLiteral("--demo")}
            + extraArguments);
}

bool ServerProcess::waitUntilServing()
{
    // Wait on the process's own signals, with a deadline, not a fixed sleep.
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    const auto connection
        = QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &loop, [&] {
              if (m_port != 0)
                  loop.quit();
          });
    const auto finished
        = QObject::connect(&m_process, &QProcess::finished, &loop, &QEventLoop::quit);
    const auto failed
        = QObject::connect(&m_process, &QProcess::errorOccurred, &loop, &QEventLoop::quit);
    deadline.start(30'000);
    if (m_port == 0 && m_process.state() != QProcess::NotRunning)
        loop.exec();
    QObject::disconnect(connection);
    QObject::disconnect(finished);
    QObject::disconnect(failed);
    if (m_port == 0) {
        m_error = QStringLiteral("marquee-server did not report its port (state %1, exit %2): %3")
                      .arg(int(m_process.state()))
                      .arg(m_process.exitCode())
                      .arg(QString::fromLocal8Bit(m_output));
        kill();
        return false;
    }
    return true;
}

void ServerProcess::readOutput()
{
    m_output += m_process.readAllStandardOutput();
    static const QRegularExpression portLine(QStringLiteral("Web page: http://[^:/]+:(\\d+)/"));
    static const QRegularExpression clerkLine(
        QStringLiteral("Demo sign-in[^:]*: user clerk, password (\\S+)"));
    const QString text = QString::fromLocal8Bit(m_output);
    if (const auto match = portLine.match(text); match.hasMatch())
        m_port = quint16(match.captured(1).toUInt());
    if (const auto match = clerkLine.match(text); match.hasMatch())
        m_clerkPassword = match.captured(1);
}

QString ServerProcess::staffToken()
{
    if (m_staffToken.isEmpty() && !m_clerkPassword.isEmpty() && m_port != 0) {
        HttpClient http(httpUrl());
        m_staffToken = http.post(QStringLiteral("/api/v1/session"),
                               QJsonObject{{QStringLiteral("user"), QStringLiteral("clerk")},
                                   {QStringLiteral("password"), m_clerkPassword}})
                           .json()
                           .value(QLatin1String("token"))
                           .toString();
    }
    return m_staffToken;
}

void ServerProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(10'000);
}

void ServerProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10'000))
        kill();
}

QUrl ServerProcess::httpUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_port));
}

QUrl ServerProcess::channelUrl(const QString &event) const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/events/%2/messages").arg(m_port).arg(event));
}

ServerProcess::CheckResult ServerProcess::check(
    const DatabaseConfig &database, const QStringList &extraArguments)
{
    return runServer(
        QStringList{QStringLiteral("--check"), QStringLiteral("--db"), dbArgument(database)}
        + extraArguments);
}

ServerProcess::CheckResult ServerProcess::runServer(
    const QStringList &arguments, const QByteArray &input)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program(), arguments);
    process.write(input);
    process.closeWriteChannel();
    CheckResult result;
    if (!process.waitForFinished(60'000) || process.exitStatus() != QProcess::NormalExit) {
        process.kill();
        process.waitForFinished();
        result.output = QStringLiteral("marquee-server did not finish: ")
            + QString::fromLocal8Bit(process.readAll());
        return result;
    }
    result.exitCode = process.exitCode();
    result.output = QString::fromLocal8Bit(process.readAll());
    return result;
}

} // namespace Marquee::Test
