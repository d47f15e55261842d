// Hold throughput and snapshot cost: many keep-alive connections doing
// one-seat holds and releases on breakfast-ii as fast as the server answers,
// optionally next to connections reading GET …/availability in a loop.
#include "BenchCommon.h"
#include "ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
#include <cstdio>

using namespace Marquee;
using namespace Marquee::Bench;

namespace {

/// What happened inside the measured window.
struct Tally
{
    Samples holdLatency;
    Samples releaseLatency;
    Samples readLatency;
    int granted = 0;
    int refused = 0; ///< 409: another client had the seat
    int released = 0;
    int reads = 0;
    int other = 0; ///< anything else, including lost connections
};

/// The measured window: samples count only when sent inside it, so the
/// warm-up (connections, caches, SQLite's page cache) is left out.
struct Window
{
    qint64 start = 0;
    qint64 end = 0;
    bool contains(qint64 sentNs) const { return sentNs >= start && sentNs < end; }
};

/// One customer on its own connection and cart, holding one seat, releasing
/// it, and going on with the next of its seats, back to back.
class Holder
{
public:
    Holder(quint16 port, QStringList seats, const Window &window, Tally &tally)
        : m_http(port)
        , m_seats(std::move(seats))
        , m_window(window)
        , m_tally(tally)
    {
    }

    bool prepare()
    {
        if (!m_http.connectNow())
            return false;
        std::tie(m_cart, m_token) = newCart(m_http);
        return !m_cart.isEmpty();
    }

    void start() { hold(); }
    bool busy() const { return m_http.busy(); }

private:
    void hold()
    {
        if (nowNs() >= m_window.end)
            return;
        const QByteArray seat = m_seats.at(m_next++ % m_seats.size()).toLatin1();
        m_http.send("POST", "/api/v1/carts/" + m_cart + "/holds", m_token,
            "{\"event\":\"breakfast-ii\",\"seats\":[\"" + seat + "\"]}",
            [this](const HttpConnection::Answer &answer) { onHold(answer); });
    }

    void onHold(const HttpConnection::Answer &answer)
    {
        const bool counted = m_window.contains(answer.sentNs);
        if (counted) {
            m_tally.holdLatency.add(answer.latencyNs);
            if (answer.status == 201)
                ++m_tally.granted;
            else if (answer.status == 409)
                ++m_tally.refused;
            else
                ++m_tally.other;
        }
        if (answer.status != 201) {
            if (answer.status != 0)
                hold();
            return;
        }
        // {"hold":"h_…",…}: found by hand, a JSON parse per answer is waste here.
        const qsizetype start = answer.body.indexOf("\"hold\":\"") + 8;
        const QByteArray id = answer.body.mid(start, answer.body.indexOf('"', start) - start);
        // The release always goes out, even after the window, so no seat stays held.
        m_http.send("DELETE", "/api/v1/carts/" + m_cart + "/holds/" + id, m_token, {},
            [this](const HttpConnection::Answer &release) {
                if (m_window.contains(release.sentNs)) {
                    m_tally.releaseLatency.add(release.latencyNs);
                    if (release.status == 204)
                        ++m_tally.released;
                    else
                        ++m_tally.other;
                }
                if (release.status != 0)
                    hold();
            });
    }

    HttpConnection m_http;
    QStringList m_seats;
    const Window &m_window;
    Tally &m_tally;
    QByteArray m_cart;
    QByteArray m_token;
    qsizetype m_next = 0;
};

/// Reads the availability snapshot over and over on its own connection.
class Reader
{
public:
    Reader(quint16 port, const Window &window, Tally &tally)
        : m_http(port)
        , m_window(window)
        , m_tally(tally)
    {
    }

    bool prepare() { return m_http.connectNow(); }
    bool busy() const { return m_http.busy(); }

    void start()
    {
        if (nowNs() >= m_window.end)
            return;
        m_http.send("GET", "/api/v1/events/breakfast-ii/availability", {}, {},
            [this](const HttpConnection::Answer &answer) {
                if (m_window.contains(answer.sentNs)) {
                    m_tally.readLatency.add(answer.latencyNs);
                    if (answer.status == 200)
                        ++m_tally.reads;
                    else
                        ++m_tally.other;
                }
                if (answer.status != 0)
                    start();
            });
    }

private:
    HttpConnection m_http;
    const Window &m_window;
    Tally &m_tally;
};

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Hold throughput and availability snapshot latency benchmark"));
    parser.addHelpOption();
    const QCommandLineOption backendOption(QStringLiteral("backend"),
        QStringLiteral("sqlite or postgresql (default sqlite)."), QStringLiteral("name"),
        QStringLiteral("sqlite"));
    const QCommandLineOption clientsOption(QStringLiteral("clients"),
        QStringLiteral("Connections doing hold + release (default 64)."), QStringLiteral("n"),
        QStringLiteral("64"));
    const QCommandLineOption readersOption(QStringLiteral("readers"),
        QStringLiteral("Connections reading the availability snapshot (default 0)."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
        QStringLiteral("Measured seconds (default 10)."), QStringLiteral("s"),
        QStringLiteral("10"));
    const QCommandLineOption nameOption(QStringLiteral("name"),
        QStringLiteral("Row name in the results table."), QStringLiteral("text"));
    const QCommandLineOption sqliteDirOption(QStringLiteral("sqlite-dir"),
        QStringLiteral("Folder for the SQLite file (e.g. /dev/shm: no disk flushes)."),
        QStringLiteral("dir"));
    parser.addOptions(
        {backendOption, clientsOption, readersOption, secondsOption, nameOption, sqliteDirOption});
    parser.process(app);
    const QString backend = parser.value(backendOption);
    const int clients = parser.value(clientsOption).toInt();
    const int readers = parser.value(readersOption).toInt();
    const double seconds = parser.value(secondsOption).toDouble();
    const QString name = parser.isSet(nameOption)
        ? parser.value(nameOption)
        : QStringLiteral("holds %1 conns, %2 readers").arg(clients).arg(readers);

    defaultServerProgram();
    raiseFileLimit();
    BenchDatabases databases;
    const QString sqliteDir = parser.value(sqliteDirOption);
    const QString label
        = sqliteDir.isEmpty() ? backend : backend + QStringLiteral(" in ") + sqliteDir;
    if (!databases.start(backend, sqliteDir)) {
        std::fprintf(stderr, "database: %s\n", qPrintable(databases.error()));
        return 1;
    }
    Test::ServerProcess server;
    if (!server.start(databases.fresh())) {
        std::fprintf(stderr, "server: %s\n", qPrintable(server.error()));
        return 1;
    }
    const qint64 serverPid = childPid(QStringLiteral("marquee-server"));
    HttpConnection setup(server.port());
    if (!setup.connectNow())
        return 1;
    const QStringList seats
        = availableSeats(setup.exchange("GET", "/api/v1/events/breakfast-ii/availability").body);

    // Each client gets its own seats (round robin), so holds do not collide
    // and every hold is a granted one-seat hold; with more clients than seats
    // they would share, and the 409s are counted.
    Window window;
    Tally tally;
    std::vector<std::unique_ptr<Holder>> holders;
    for (int c = 0; c < clients; ++c) {
        QStringList own;
        for (qsizetype s = c % seats.size(); s < seats.size(); s += clients)
            own.append(seats.at(s));
        holders.push_back(std::make_unique<Holder>(server.port(), own, window, tally));
        if (!holders.back()->prepare()) {
            std::fprintf(stderr, "client %d could not start\n", c);
            return 1;
        }
    }
    std::vector<std::unique_ptr<Reader>> readerList;
    for (int r = 0; r < readers; ++r) {
        readerList.push_back(std::make_unique<Reader>(server.port(), window, tally));
        if (!readerList.back()->prepare())
            return 1;
    }

    const qint64 warmupNs = 1'000'000'000;
    window.start = nowNs() + warmupNs;
    window.end = window.start + qint64(seconds * 1e9);
    for (auto &holder : holders)
        holder->start();
    for (auto &reader : readerList)
        reader->start();
    auto anyBusy = [&] {
        for (const auto &holder : holders) {
            if (holder->busy())
                return true;
        }
        for (const auto &reader : readerList) {
            if (reader->busy())
                return true;
        }
        return false;
    };
    // Warm-up, then the window with CPU readings at both ends; the loop
    // sleeps in poll() between answers instead of spinning a core.
    std::vector<std::pair<QString, double>> serverCpuBefore;
    std::vector<std::pair<QString, double>> serverCpuAfter;
    double ownCpuBefore = 0;
    double ownCpu = 0;
    QEventLoop loop;
    QTimer::singleShot(int(warmupNs / 1'000'000), &loop, [&] {
        serverCpuBefore = threadCpuSeconds(serverPid, databases.postgresPort());
        ownCpuBefore = ownCpuSeconds();
    });
    QTimer::singleShot(int((window.end - nowNs()) / 1'000'000), &loop, [&] {
        serverCpuAfter = threadCpuSeconds(serverPid, databases.postgresPort());
        ownCpu = ownCpuSeconds() - ownCpuBefore;
        loop.quit();
    });
    loop.exec();
    // Requests sent before the end still finish (releases must go out).
    QTimer drain;
    QObject::connect(&drain, &QTimer::timeout, &loop, [&] {
        if (!anyBusy())
            loop.quit();
    });
    drain.start(10);
    QTimer::singleShot(30'000, &loop, &QEventLoop::quit);
    loop.exec();

    const double holdsPerSecond = tally.granted / seconds;
    std::printf("%s on %s, %.0f s measured after 1 s warm-up:\n", qPrintable(name),
        qPrintable(label), seconds);
    if (clients > 0) {
        std::printf("  holds granted %d (%.0f/s), refused %d, released %d (%.0f/s), other %d\n",
            tally.granted, holdsPerSecond, tally.refused, tally.released, tally.released / seconds,
            tally.other);
        std::printf("  hold latency    %s\n", qPrintable(tally.holdLatency.summary()));
        std::printf("  release latency %s\n", qPrintable(tally.releaseLatency.summary()));
    }
    if (readers > 0)
        std::printf("  snapshot GET    %s, %.0f/s\n", qPrintable(tally.readLatency.summary()),
            tally.reads / seconds);
    const QString serverCpu = cpuShare(serverCpuBefore, serverCpuAfter, seconds);
    std::printf(
        "  CPU: server %s; this client %.0f%%\n", qPrintable(serverCpu), ownCpu / seconds * 100);
    if (clients > 0) {
        row(name, label, QStringLiteral("holds/s (+ as many releases/s)"),
            QStringLiteral("%1").arg(holdsPerSecond, 0, 'f', 0));
        row(name, label, QStringLiteral("hold p50/p99 ms"),
            QStringLiteral("%1 / %2")
                .arg(tally.holdLatency.percentileMs(50), 0, 'f', 2)
                .arg(tally.holdLatency.percentileMs(99), 0, 'f', 2));
        row(name, label, QStringLiteral("release p50/p99 ms"),
            QStringLiteral("%1 / %2")
                .arg(tally.releaseLatency.percentileMs(50), 0, 'f', 2)
                .arg(tally.releaseLatency.percentileMs(99), 0, 'f', 2));
    }
    if (readers > 0)
        row(name, label, QStringLiteral("snapshot GET p50/p99 ms (GET/s)"),
            QStringLiteral("%1 / %2 (%3)")
                .arg(tally.readLatency.percentileMs(50), 0, 'f', 2)
                .arg(tally.readLatency.percentileMs(99), 0, 'f', 2)
                .arg(tally.reads / seconds, 0, 'f', 0));
    row(name, label, QStringLiteral("CPU (server threads; client)"),
        QStringLiteral("%1; client %2%").arg(serverCpu).arg(ownCpu / seconds * 100, 0, 'f', 0));
    if (tally.other > 0)
        row(name, label, QStringLiteral("unexpected answers"), QString::number(tally.other));
    return tally.other == 0 ? 0 : 1;
}
