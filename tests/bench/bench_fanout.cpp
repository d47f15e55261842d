// Fan-out latency: N WebSocket subscribers on breakfast-ii, then single-seat
// holds through the HTTP API one at a time; for every hold, the time from
// writing the HTTP request to each subscriber receiving the matching update.
#include "BenchCommon.h"
#include "Protocol.h"
#include "ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace Marquee;
using namespace Marquee::Bench;

namespace {

/// A share of the subscribers on one thread: a minimal WebSocket client on
/// epoll (handshake, unmasked server frames, pong). Not QWebSocket: Qt's
/// UNIX event dispatcher poll()s every socket of the thread on every wake,
/// so with 1,250 subscribers a thread spent about 60 µs of CPU per message
/// received and the client, not the server, set the latency. Here a wake
/// costs only the sockets that are ready. The receive path only stamps the
/// time and keeps the payload; decoding and matching happen after the run.
class SubscriberGroup
{
public:
    struct Delivery
    {
        qint64 ns;
        int subscriber;
        QByteArray text;
    };

    SubscriberGroup(quint16 port, int count, std::atomic<int> &ready, std::atomic<int> &failed,
        std::atomic<qint64> &delivered)
        : m_port(port)
        , m_count(count)
        , m_ready(ready)
        , m_failed(failed)
        , m_delivered(delivered)
    {
        // Never reallocated: handlers hold references while connectMore() adds.
        m_connections.reserve(size_t(count));
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
        m_thread = std::thread([this] { run(); });
    }

    ~SubscriberGroup()
    {
        m_stop = true;
        m_thread.join();
        for (const Connection &connection : m_connections)
            ::close(connection.fd);
        ::close(m_epoll);
    }

    /// Only read once every delivery is in (the counter says so).
    const std::vector<Delivery> &log() const { return m_log; }

private:
    struct Connection
    {
        int fd = -1;
        bool handshakeSent = false;
        bool upgraded = false;
        bool gotSnapshot = false;
        bool dead = false;
        QByteArray in;
    };

    // The server's listen backlog is Qt's default of 50: opening thousands
    // of connections at once overflows it and the kernel retries SYNs only
    // after a second or more. A few dozen handshakes in flight is plenty.
    static constexpr int MaxConnecting = 24;

    void connectMore()
    {
        while (m_connecting < MaxConnecting && int(m_connections.size()) < m_count) {
            Connection connection;
            connection.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(m_port);
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            ::connect(connection.fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
            epoll_event event{};
            event.events = EPOLLIN | EPOLLOUT;
            event.data.u32 = quint32(m_connections.size());
            epoll_ctl(m_epoll, EPOLL_CTL_ADD, connection.fd, &event);
            m_connections.push_back(std::move(connection));
            ++m_connecting;
        }
    }

    void fail(int index)
    {
        Connection &connection = m_connections[size_t(index)];
        if (connection.dead)
            return;
        connection.dead = true;
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, connection.fd, nullptr);
        ++m_failed;
        if (!connection.gotSnapshot)
            --m_connecting;
    }

    void onWritable(int index)
    {
        Connection &connection = m_connections[size_t(index)];
        if (connection.handshakeSent)
            return;
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0)
            return fail(index);
        const QByteArray request = "GET /events/breakfast-ii/messages HTTP/1.1\r\nHost: 127.0.0.1:"
            + QByteArray::number(m_port)
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        if (::write(connection.fd, request.constData(), size_t(request.size())) != request.size())
            return fail(index);
        connection.handshakeSent = true;
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u32 = quint32(index);
        epoll_ctl(m_epoll, EPOLL_CTL_MOD, connection.fd, &event);
    }

    void onReadable(int index)
    {
        Connection &connection = m_connections[size_t(index)];
        char buffer[16384];
        for (;;) {
            const ssize_t got = ::read(connection.fd, buffer, sizeof buffer);
            if (got > 0) {
                connection.in.append(buffer, got);
                continue;
            }
            if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
                return fail(index);
            break;
        }
        // One time stamp per read: every frame in it arrived by now.
        const qint64 now = nowNs();
        if (!connection.upgraded) {
            const qsizetype end = connection.in.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            if (!connection.in.startsWith("HTTP/1.1 101"))
                return fail(index);
            connection.in.remove(0, end + 4);
            connection.upgraded = true;
        }
        while (connection.in.size() >= 2) {
            const auto *bytes = reinterpret_cast<const uchar *>(connection.in.constData());
            const int opcode = bytes[0] & 0x0f;
            qint64 length = bytes[1] & 0x7f;
            qsizetype header = 2;
            if (length == 126) {
                if (connection.in.size() < 4)
                    return;
                length = (qint64(bytes[2]) << 8) | bytes[3];
                header = 4;
            } else if (length == 127) {
                if (connection.in.size() < 10)
                    return;
                length = 0;
                for (int i = 2; i < 10; ++i)
                    length = (length << 8) | bytes[i];
                header = 10;
            }
            if (connection.in.size() < header + length)
                return;
            const QByteArray payload = connection.in.mid(header, length);
            connection.in.remove(0, header + length);
            if (opcode == 0x1) {
                if (!connection.gotSnapshot) {
                    connection.gotSnapshot = true;
                    --m_connecting;
                    ++m_ready;
                    connectMore();
                } else {
                    m_log.push_back({now, index, payload});
                    ++m_delivered;
                }
            } else if (opcode == 0x9) {
                // Pong with the ping's payload; a client's frame must be
                // masked, and an all-zero mask leaves the payload as it is.
                QByteArray pong("\x8a", 1);
                pong.append(char(0x80 | payload.size()));
                pong.append(4, '\0');
                pong.append(payload);
                if (::write(connection.fd, pong.constData(), size_t(pong.size())) < 0)
                    return fail(index);
            } else if (opcode == 0x8) {
                return fail(index);
            }
        }
    }

    void run()
    {
        connectMore();
        epoll_event events[256];
        while (!m_stop) {
            const int count = epoll_wait(m_epoll, events, 256, 50);
            for (int i = 0; i < count; ++i) {
                const int index = int(events[i].data.u32);
                if (m_connections[size_t(index)].dead)
                    continue;
                if (events[i].events & (EPOLLERR | EPOLLHUP)) {
                    fail(index);
                    continue;
                }
                if (events[i].events & EPOLLOUT)
                    onWritable(index);
                if (events[i].events & EPOLLIN)
                    onReadable(index);
            }
        }
    }

    quint16 m_port;
    int m_count;
    std::atomic<int> &m_ready;
    std::atomic<int> &m_failed;
    std::atomic<qint64> &m_delivered;
    std::atomic<bool> m_stop{false};
    int m_epoll = -1;
    std::vector<Connection> m_connections;
    int m_connecting = 0;
    std::vector<Delivery> m_log;
    std::thread m_thread;
};

/// Spins this thread's event loop until \a done or \a timeoutMs.
template <typename Done> bool waitFor(Done done, int timeoutMs)
{
    const qint64 deadline = nowNs() + qint64(timeoutMs) * 1'000'000;
    while (!done()) {
        if (nowNs() > deadline)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

bool runOnce(int subscribers, int holds, int threads, const QString &backend,
    const QString &sqliteDir, const QString &label)
{
    BenchDatabases databases;
    if (!databases.start(backend, sqliteDir)) {
        std::fprintf(stderr, "database: %s\n", qPrintable(databases.error()));
        return false;
    }
    Test::ServerProcess server;
    if (!server.start(databases.fresh())) {
        std::fprintf(stderr, "server: %s\n", qPrintable(server.error()));
        return false;
    }
    const qint64 serverPid = childPid(QStringLiteral("marquee-server"));
    HttpConnection http(server.port());
    if (!http.connectNow())
        return false;
    const QStringList seats
        = availableSeats(http.exchange("GET", "/api/v1/events/breakfast-ii/availability").body);
    if (seats.size() < holds) {
        std::fprintf(stderr, "only %lld seats available for %d holds\n",
            static_cast<long long>(seats.size()), holds);
        return false;
    }

    std::atomic<int> ready{0};
    std::atomic<int> failed{0};
    std::atomic<qint64> delivered{0};
    const qint64 connectStart = nowNs();
    std::vector<std::unique_ptr<SubscriberGroup>> groups;
    for (int i = 0; i < threads; ++i) {
        const int count = subscribers / threads + (i < subscribers % threads ? 1 : 0);
        groups.push_back(
            std::make_unique<SubscriberGroup>(server.port(), count, ready, failed, delivered));
    }
    const bool allReady
        = waitFor([&] { return ready.load() + failed.load() >= subscribers; }, 300'000);
    const double connectSeconds = double(nowNs() - connectStart) / 1e9;
    std::printf("%d subscribers: %d ready, %d failed, in %.1f s\n", subscribers, ready.load(),
        failed.load(), connectSeconds);
    if (!allReady || ready.load() < subscribers) {
        std::fprintf(stderr, "not every subscriber connected; server output:\n%s\n",
            server.output().constData());
        row(QStringLiteral("fan-out %1 subs").arg(subscribers), label, QStringLiteral("connected"),
            QStringLiteral("%1 of %2").arg(ready.load()).arg(subscribers));
        return false;
    }

    // One hold at a time: the next starts only when every subscriber has the
    // previous update, so each delivery measures one fan-out, not a queue.
    std::vector<qint64> sentNs(size_t(holds), 0);
    QHash<QString, int> holdOfSeat;
    Samples answers;
    int timeouts = 0;
    const auto cpuBefore = threadCpuSeconds(serverPid, databases.postgresPort());
    const double ownCpuBefore = ownCpuSeconds();
    const qint64 holdsStart = nowNs();
    for (int i = 0; i < holds; ++i) {
        // A cart takes 10 live holds; a fresh cart per hold keeps it simple.
        const auto [cart, token] = newCart(http);
        const QString seat = seats.at(i);
        holdOfSeat.insert(seat, i);
        const qint64 expected = delivered.load() + subscribers;
        const auto answer = http.exchange("POST", "/api/v1/carts/" + cart + "/holds", token,
            "{\"event\":\"breakfast-ii\",\"seats\":[\"" + seat.toLatin1() + "\"]}");
        if (answer.status != 201) {
            std::fprintf(stderr, "hold %s: %d %s\n", qPrintable(seat), answer.status,
                answer.body.constData());
            return false;
        }
        sentNs[size_t(i)] = answer.sentNs;
        answers.add(answer.latencyNs);
        if (!waitFor([&] { return delivered.load() >= expected; }, 20'000))
            ++timeouts;
    }
    const double holdSeconds = double(nowNs() - holdsStart) / 1e9;
    const auto cpuAfter = threadCpuSeconds(serverPid, databases.postgresPort());
    const double clientCpu = (ownCpuSeconds() - ownCpuBefore) / holdSeconds * 100;

    Samples latency;
    qint64 unmatched = 0;
    for (const auto &group : groups) {
        for (const auto &delivery : group->log()) {
            const auto message = Protocol::decodeChannelMessage(delivery.text);
            bool matched = false;
            if (message && message->type == Protocol::ChannelMessage::Type::Seats) {
                for (auto it = message->seats.cbegin(); it != message->seats.cend(); ++it) {
                    const auto hold = holdOfSeat.constFind(it.key());
                    if (hold != holdOfSeat.cend() && it.value() == SeatState::Held) {
                        latency.add(delivery.ns - sentNs[size_t(*hold)]);
                        matched = true;
                    }
                }
            }
            if (!matched)
                ++unmatched;
        }
    }
    const qint64 expectedDeliveries = qint64(subscribers) * holds;
    std::printf(
        "fan-out to %d subscribers (%d client threads), %d holds:\n", subscribers, threads, holds);
    std::printf(
        "  delivery (HTTP request sent -> update received): %s\n", qPrintable(latency.summary()));
    std::printf(
        "  HTTP answer to the hold:                         %s\n", qPrintable(answers.summary()));
    std::printf("  deliveries %lld of %lld expected, %lld unmatched messages, %d holds timed out\n",
        static_cast<long long>(latency.count()), static_cast<long long>(expectedDeliveries),
        static_cast<long long>(unmatched), timeouts);
    std::printf("  CPU during the holds (%.1f s): server %s; client %.0f%%\n", holdSeconds,
        qPrintable(cpuShare(cpuBefore, cpuAfter, holdSeconds)), clientCpu);
    const QString name = QStringLiteral("fan-out %1 subs").arg(subscribers);
    if (subscribers > 0)
        row(name, label, QStringLiteral("delivery p50/p95/p99/max ms"),
            QStringLiteral("%1 / %2 / %3 / %4")
                .arg(latency.percentileMs(50), 0, 'f', 1)
                .arg(latency.percentileMs(95), 0, 'f', 1)
                .arg(latency.percentileMs(99), 0, 'f', 1)
                .arg(latency.maxMs(), 0, 'f', 1));
    row(name, label, QStringLiteral("hold HTTP answer p50/p99 ms"),
        QStringLiteral("%1 / %2")
            .arg(answers.percentileMs(50), 0, 'f', 1)
            .arg(answers.percentileMs(99), 0, 'f', 1));
    row(name, label, QStringLiteral("deliveries / connect time"),
        QStringLiteral("%1 of %2 / %3 s")
            .arg(latency.count())
            .arg(expectedDeliveries)
            .arg(connectSeconds, 0, 'f', 1));
    row(name, label, QStringLiteral("CPU during holds (server threads; client)"),
        QStringLiteral("%1; client %2%")
            .arg(cpuShare(cpuBefore, cpuAfter, holdSeconds))
            .arg(clientCpu, 0, 'f', 0));
    groups.clear();
    return latency.count() == expectedDeliveries;
}

} // namespace

int main(int argc, char *argv[])
{
    // Same dispatcher as the server: glib's is several times slower with
    // thousands of sockets (TOOLCHAIN.md), and the client must not lag.
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("WebSocket fan-out latency benchmark"));
    parser.addHelpOption();
    const QCommandLineOption subscribersOption(QStringLiteral("subscribers"),
        QStringLiteral("Comma-separated subscriber counts (default 1000,5000)."),
        QStringLiteral("list"), QStringLiteral("1000,5000"));
    const QCommandLineOption holdsOption(QStringLiteral("holds"),
        QStringLiteral("Single-seat holds, one at a time (default 50)."), QStringLiteral("n"),
        QStringLiteral("50"));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
        QStringLiteral("Client threads the subscribers are spread over (default 2)."),
        QStringLiteral("n"), QStringLiteral("2"));
    const QCommandLineOption backendOption(QStringLiteral("backend"),
        QStringLiteral("sqlite or postgresql (default sqlite)."), QStringLiteral("name"),
        QStringLiteral("sqlite"));
    const QCommandLineOption sqliteDirOption(QStringLiteral("sqlite-dir"),
        QStringLiteral("Folder for the SQLite file (e.g. /dev/shm: no disk flushes)."),
        QStringLiteral("dir"));
    parser.addOptions(
        {subscribersOption, holdsOption, threadsOption, backendOption, sqliteDirOption});
    parser.process(app);

    defaultServerProgram();
    const long files = raiseFileLimit();
    std::printf("open-file limit (this process and the server it starts): %ld\n", files);
    const QString backend = parser.value(backendOption);
    const QString sqliteDir = parser.value(sqliteDirOption);
    const QString label
        = sqliteDir.isEmpty() ? backend : backend + QStringLiteral(" in ") + sqliteDir;
    bool ok = true;
    const QStringList counts = parser.value(subscribersOption).split(u',');
    for (const QString &count : counts) {
        const int subscribers = count.toInt();
        if (qint64(subscribers) * 2 + 100 > files)
            std::printf("warning: %d subscribers need about %d descriptors here\n", subscribers,
                subscribers * 2 + 100);
        ok = runOnce(subscribers, parser.value(holdsOption).toInt(),
                 std::max(1, parser.value(threadsOption).toInt()), backend, sqliteDir, label)
            && ok;
    }
    return ok ? 0 : 1;
}
