#include "BenchCommon.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <sys/resource.h>
#include <unistd.h>

namespace Marquee::Bench {

qint64 nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void Samples::append(const Samples &other)
{
    m_ns.insert(m_ns.end(), other.m_ns.begin(), other.m_ns.end());
    m_sorted = false;
}

double Samples::percentileMs(double p) const
{
    if (m_ns.empty())
        return 0;
    if (!m_sorted) {
        std::sort(m_ns.begin(), m_ns.end());
        m_sorted = true;
    }
    // Nearest rank: the smallest sample with at least p % of samples at or below it.
    const auto rank = std::max<qsizetype>(1, qsizetype(std::ceil(p / 100.0 * double(m_ns.size()))));
    return double(m_ns[size_t(std::min<qsizetype>(rank, qsizetype(m_ns.size())) - 1)]) / 1e6;
}

QString Samples::summary(bool withP95) const
{
    QString text = QStringLiteral("p50 %1").arg(percentileMs(50), 0, 'f', 2);
    if (withP95)
        text += QStringLiteral(" / p95 %1").arg(percentileMs(95), 0, 'f', 2);
    text += QStringLiteral(" / p99 %1 / max %2 ms (n=%3)")
                .arg(percentileMs(99), 0, 'f', 2)
                .arg(maxMs(), 0, 'f', 2)
                .arg(count());
    return text;
}

bool BenchDatabases::start(const QString &backend, const QString &sqliteDir)
{
    if (backend == QLatin1String("sqlite")) {
        if (!sqliteDir.isEmpty())
            m_dir = std::make_unique<QTemporaryDir>(
                sqliteDir + QStringLiteral("/marquee-bench-XXXXXX"));
        return m_dir->isValid();
    }
    if (backend != QLatin1String("postgresql")) {
        m_error = QStringLiteral("unknown backend %1 (sqlite or postgresql)").arg(backend);
        return false;
    }
    m_cluster = std::make_unique<Test::PostgresCluster>();
    if (!m_cluster->start()) {
        m_error = m_cluster->error();
        return false;
    }
    return true;
}

DatabaseConfig BenchDatabases::fresh()
{
    ++m_count;
    if (m_cluster) {
        DatabaseConfig config
            = m_cluster->createDatabase(QStringLiteral("marquee_bench_%1").arg(m_count));
        m_postgresPort = config.port;
        return config;
    }
    DatabaseConfig config;
    config.backend = DatabaseConfig::Backend::Sqlite;
    config.path = m_dir->filePath(QStringLiteral("bench-%1.db").arg(m_count));
    return config;
}

HttpConnection::HttpConnection(quint16 port)
    : m_port(port)
{
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { onReadyRead(); });
    QObject::connect(&m_socket, &QTcpSocket::errorOccurred, [this] { fail(); });
}

bool HttpConnection::connectNow(int timeoutMs)
{
    m_socket.connectToHost(QStringLiteral("127.0.0.1"), m_port);
    return m_socket.waitForConnected(timeoutMs);
}

void HttpConnection::send(const QByteArray &method, const QByteArray &path, const QByteArray &token,
    const QByteArray &body, Handler handler)
{
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.isEmpty())
        request += "Authorization: Bearer " + token + "\r\n";
    if (!body.isEmpty())
        request += "Content-Type: application/json\r\n";
    if (!body.isEmpty() || method == "POST")
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    m_handler = std::move(handler);
    m_sentNs = nowNs();
    m_socket.write(request);
}

HttpConnection::Answer HttpConnection::exchange(const QByteArray &method, const QByteArray &path,
    const QByteArray &token, const QByteArray &body, int timeoutMs)
{
    Answer result;
    QEventLoop loop;
    send(method, path, token, body, [&](const Answer &answer) {
        result = answer;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    m_handler = nullptr;
    return result;
}

void HttpConnection::onReadyRead()
{
    m_in += m_socket.readAll();
    // The server always answers with Content-Length (checked with curl), so
    // no chunked decoding is needed.
    const qsizetype headerEnd = m_in.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    qsizetype length = 0;
    const qsizetype lengthAt = m_in.left(headerEnd).toLower().indexOf("\r\ncontent-length:");
    if (lengthAt >= 0) {
        const qsizetype start = lengthAt + 17;
        const qsizetype end = m_in.indexOf("\r\n", start);
        length = m_in.mid(start, end - start).trimmed().toLongLong();
    }
    if (m_in.size() < headerEnd + 4 + length)
        return;
    Answer answer;
    answer.sentNs = m_sentNs;
    answer.latencyNs = nowNs() - m_sentNs;
    answer.status = m_in.mid(9, 3).toInt();
    answer.body = m_in.mid(headerEnd + 4, length);
    m_in.remove(0, headerEnd + 4 + length);
    if (auto handler = std::exchange(m_handler, nullptr))
        handler(answer);
}

void HttpConnection::fail()
{
    if (auto handler = std::exchange(m_handler, nullptr))
        handler(Answer{});
}

QStringList availableSeats(const QByteArray &snapshotBody)
{
    const QJsonObject seats
        = QJsonDocument::fromJson(snapshotBody).object().value(QLatin1String("seats")).toObject();
    QStringList result;
    for (auto it = seats.begin(); it != seats.end(); ++it) {
        if (it.value().toString() == QLatin1String("available"))
            result.append(it.key());
    }
    return result;
}

std::pair<QByteArray, QByteArray> newCart(HttpConnection &connection)
{
    const auto answer = connection.exchange("POST", "/api/v1/carts");
    if (answer.status != 201)
        return {};
    const QJsonObject cart = QJsonDocument::fromJson(answer.body).object();
    return {cart.value(QLatin1String("cart")).toString().toLatin1(),
        cart.value(QLatin1String("token")).toString().toLatin1()};
}

long raiseFileLimit()
{
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    return long(limit.rlim_cur);
}

namespace {

/// (comm, utime+stime in seconds, ppid) from a /proc/.../stat file.
struct ProcStat
{
    QString name;
    double cpuSeconds = 0;
    qint64 ppid = 0;
};

std::optional<ProcStat> readStat(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray text = file.readAll();
    const qsizetype open = text.indexOf('(');
    const qsizetype close = text.lastIndexOf(')');
    if (open < 0 || close < 0)
        return std::nullopt;
    // Fields after "comm)": state ppid ... utime is the 14th field of the
    // line, so the 12th after the name.
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return std::nullopt;
    static const double ticks = double(sysconf(_SC_CLK_TCK));
    ProcStat stat;
    stat.name = QString::fromLocal8Bit(text.mid(open + 1, close - open - 1));
    stat.ppid = fields.at(1).toLongLong();
    stat.cpuSeconds = double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) / ticks;
    return stat;
}

} // namespace

std::vector<std::pair<QString, double>> threadCpuSeconds(qint64 pid, int postgresPort)
{
    QMap<QString, double> byName;
    const QString taskDir = QStringLiteral("/proc/%1/task").arg(pid);
    const QStringList tasks = QDir(taskDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &task : tasks) {
        if (const auto stat = readStat(taskDir + u'/' + task + QStringLiteral("/stat"))) {
            // The main thread carries the program's name; it is the socket thread.
            const QString name
                = task == QString::number(pid) ? QStringLiteral("socket") : stat->name;
            byName[name] += stat->cpuSeconds;
        }
    }
    // PostgreSQL's backends are separate processes: the postmaster listening
    // on \a postgresPort and its children count as one "thread". Other
    // clusters on the machine (other tests) are left out.
    if (postgresPort > 0) {
        const QByteArray portArgument
            = QByteArray("-p\0", 3) + QByteArray::number(postgresPort) + '\0';
        const QStringList processes = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
        std::vector<std::pair<qint64, ProcStat>> postgres;
        qint64 postmaster = 0;
        for (const QString &process : processes) {
            bool numeric = false;
            const qint64 other = process.toLongLong(&numeric);
            if (!numeric)
                continue;
            const auto stat = readStat(QStringLiteral("/proc/%1/stat").arg(other));
            if (!stat || stat->name != QLatin1String("postgres"))
                continue;
            postgres.emplace_back(other, *stat);
            QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(other));
            if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(portArgument))
                postmaster = other;
        }
        for (const auto &[other, stat] : postgres) {
            if (postmaster != 0 && (other == postmaster || stat.ppid == postmaster))
                byName[QStringLiteral("postgres")] += stat.cpuSeconds;
        }
    }
    std::vector<std::pair<QString, double>> result;
    for (auto it = byName.cbegin(); it != byName.cend(); ++it)
        result.emplace_back(it.key(), it.value());
    return result;
}

qint64 childPid(const QString &name)
{
    const QStringList processes = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &process : processes) {
        bool numeric = false;
        const qint64 pid = process.toLongLong(&numeric);
        if (!numeric)
            continue;
        const auto stat = readStat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (stat && stat->ppid == qint64(getpid()) && stat->name == name)
            return pid;
    }
    return 0;
}

QString cpuShare(const std::vector<std::pair<QString, double>> &before,
    const std::vector<std::pair<QString, double>> &after, double wallSeconds)
{
    QStringList parts;
    for (const auto &[name, seconds] : after) {
        double earlier = 0;
        for (const auto &[oldName, oldSeconds] : before) {
            if (oldName == name)
                earlier = oldSeconds;
        }
        const double share = (seconds - earlier) / wallSeconds * 100;
        if (share >= 1)
            parts.append(QStringLiteral("%1 %2%").arg(name).arg(share, 0, 'f', 0));
    }
    return parts.join(QStringLiteral(", "));
}

double ownCpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

void defaultServerProgram()
{
    if (qEnvironmentVariableIsEmpty("MARQUEE_SERVER"))
        qputenv("MARQUEE_SERVER", MARQUEE_SERVER_PATH);
}

void row(const QString &bench, const QString &backend, const QString &what, const QString &value)
{
    std::printf("ROW|%s|%s|%s|%s\n", qPrintable(bench), qPrintable(backend), qPrintable(what),
        qPrintable(value));
    std::fflush(stdout);
}

} // namespace Marquee::Bench
