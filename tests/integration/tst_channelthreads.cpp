// The channel's sender threads (ChannelHub, ChannelSender, the links): many
// subscribers spread over several threads get one unbroken sequence each,
// whatever arrives meanwhile; a thread that is held up holds up only its
// own subscribers; the fan-out observer hears of every announcement once;
// a client's close is answered; and the server stops cleanly with
// subscribers on every thread.
#include "ChannelClient.h"
#include "ChannelHub.h"
#include "HttpClient.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSemaphore>
#include <QThread>
#include <QtTest>

#include <memory>
#include <vector>

using namespace Marquee;
using namespace Marquee::Test;
using Type = Protocol::ChannelMessage::Type;

namespace {

const QString Event = QStringLiteral("breakfast-ii");

/// Empty if \a messages are a snapshot, then updates one version apart,
/// where a snapshot (a resync's answer) may come again, never older than
/// what came before it; else what is wrong.
QString sequenceProblem(const QList<Protocol::ChannelMessage> &messages)
{
    if (messages.isEmpty() || messages.first().type != Type::Snapshot)
        return QStringLiteral("no snapshot first");
    qint64 version = messages.first().version;
    for (qsizetype i = 1; i < messages.size(); ++i) {
        const auto &message = messages.at(i);
        const bool inOrder = message.type == Type::Snapshot ? message.version >= version
                                                            : message.version == version + 1;
        if (!inOrder)
            return QStringLiteral("message %1 has version %2 after %3")
                .arg(i)
                .arg(message.version)
                .arg(version);
        version = message.version;
    }
    return {};
}

/// The seat states a subscriber's messages add up to.
QHash<QString, SeatState> replay(const QList<Protocol::ChannelMessage> &messages)
{
    QHash<QString, SeatState> seats;
    for (const auto &message : messages) {
        if (message.type == Type::Snapshot)
            seats = message.seats;
        else
            seats.insert(message.seats);
    }
    return seats;
}

} // namespace

class TestChannelThreads : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void everySubscriberGetsEveryVersionInOrder()
    {
        QVERIFY(startServer(3));
        std::vector<std::unique_ptr<ChannelClient>> clients;
        for (int i = 0; i < 12; ++i)
            clients.push_back(std::make_unique<ChannelClient>(m_server->channelUrl(Event)));
        for (const auto &client : clients)
            QTRY_COMPARE(client->messages().size(), 1);
        QCOMPARE(hub().subscriberCount(Event), 12);
        QCOMPARE(hub().subscribersPerThread(), QList<int>({4, 4, 4}));

        // Thirty holds at once over eight connections, and while they are
        // answered four more subscribers come and four ask for a resync.
        const QStringList seats = availableSeats().mid(0, 30);
        QCOMPARE(seats.size(), 30);
        QList<std::pair<QString, QString>> carts;
        for (int i = 0; i < seats.size(); ++i)
            carts.append(m_http->newCart());
        std::vector<std::unique_ptr<QNetworkAccessManager>> managers(8);
        for (auto &manager : managers)
            manager = std::make_unique<QNetworkAccessManager>();
        int pending = 0;
        int granted = 0;
        for (int i = 0; i < seats.size(); ++i) {
            QNetworkRequest request(m_server->httpUrl().resolved(
                QUrl(QStringLiteral("api/v1/carts/%1/holds").arg(carts.at(i).first))));
            request.setHeader(
                QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            request.setRawHeader("Authorization", "Bearer " + carts.at(i).second.toLatin1());
            const QByteArray body
                = QJsonDocument(QJsonObject{{QStringLiteral("event"), Event},
                                    {QStringLiteral("seats"), QJsonArray{seats.at(i)}}})
                      .toJson(QJsonDocument::Compact);
            QNetworkReply *reply = managers.at(size_t(i) % managers.size())->post(request, body);
            ++pending;
            connect(reply, &QNetworkReply::finished, this, [&, reply] {
                granted
                    += reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 201;
                --pending;
                reply->deleteLater();
            });
        }
        for (int i = 0; i < 4; ++i) {
            clients.push_back(std::make_unique<ChannelClient>(m_server->channelUrl(Event)));
            clients.at(size_t(i) * 3)
                ->socket()
                .sendTextMessage(QStringLiteral("{\"type\":\"resync\"}"));
        }
        QTRY_COMPARE_WITH_TIMEOUT(pending, 0, 30'000);
        QCOMPARE(granted, 30);

        const qint64 last = hub().store().version(Event);
        const auto final = Protocol::decodeChannelMessage(
            m_http->get(QStringLiteral("/api/v1/events/breakfast-ii/availability")).body);
        QVERIFY(final);
        QCOMPARE(final->version, last);
        for (const auto &client : clients) {
            QTRY_VERIFY(!client->messages().isEmpty() && client->messages().last().version == last);
            const QString problem = sequenceProblem(client->messages());
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            QCOMPARE(replay(client->messages()), final->seats);
            QCOMPARE(client->undecodable(), 0);
        }
        QCOMPARE(hub().subscriberCount(Event), 16);
    }

    void aThreadHeldUpHoldsUpOnlyItsOwn()
    {
        QVERIFY(startServer(2));
        // The fewest first: one subscriber on each thread, in order.
        ChannelClient first(m_server->channelUrl(Event));
        QTRY_COMPARE(first.messages().size(), 1);
        QCOMPARE(hub().subscribersPerThread(), QList<int>({1, 0}));
        ChannelClient second(m_server->channelUrl(Event));
        QTRY_COMPARE(second.messages().size(), 1);
        QCOMPARE(hub().subscribersPerThread(), QList<int>({1, 1}));

        // The first one's thread is stuck inside a job of its own.
        QSemaphore entered;
        QSemaphore gate;
        auto *blocker = new QObject;
        blocker->moveToThread(hub().senderThread(0));
        QMetaObject::invokeMethod(blocker, [&entered, &gate, blocker] {
            entered.release();
            gate.acquire();
            blocker->deleteLater();
        });
        QVERIFY(entered.tryAcquire(1, 5000));

        const auto [cart, token] = m_http->newCart();
        QCOMPARE(m_http->holdSeats(cart, token, Event, {QStringLiteral("C4")}).status, 201);
        QTRY_COMPARE(second.messages().size(), 2);
        QCOMPARE(second.messages().at(1).seats.value(QStringLiteral("C4")), SeatState::Held);
        QCOMPARE(first.messages().size(), 1); // its thread has not run since
        gate.release();
        QTRY_COMPARE(first.messages().size(), 2);
        QCOMPARE(first.messages().at(1).version, second.messages().at(1).version);
    }

    void fanOutObserverHearsOfEveryAnnouncementOnce()
    {
        QVERIFY(startServer(2));
        QList<std::chrono::microseconds> reports;
        hub().setFanOutObserver([&](std::chrono::microseconds took) { reports.append(took); });
        const auto [cart, token] = m_http->newCart();
        // Nobody listens yet: reported all the same.
        QCOMPARE(m_http->holdSeats(cart, token, Event, {QStringLiteral("D1")}).status, 201);
        QTRY_COMPARE(reports.size(), 1);

        ChannelClient first(m_server->channelUrl(Event));
        ChannelClient second(m_server->channelUrl(Event));
        QTRY_COMPARE(first.messages().size(), 1);
        QTRY_COMPARE(second.messages().size(), 1);
        QCOMPARE(hub().subscribersPerThread(), QList<int>({1, 1}));
        for (const QString &seat :
            {QStringLiteral("D2"), QStringLiteral("D3"), QStringLiteral("D4")})
            QCOMPARE(m_http->holdSeats(cart, token, Event, {seat}).status, 201);
        QTRY_COMPARE(first.messages().size(), 4);
        QTRY_COMPARE(second.messages().size(), 4);
        QTRY_COMPARE(reports.size(), 4); // once per change, not once per thread
        // Nothing more comes: a report would have been queued with the others.
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/events")).status, 200);
        QCOMPARE(reports.size(), 4);
        for (const auto took : std::as_const(reports))
            QVERIFY(took.count() >= 0);
    }

    void stopsCleanlyWithSubscribersOnEveryThread()
    {
        QVERIFY(startServer(3));
        std::vector<std::unique_ptr<ChannelClient>> clients;
        for (int i = 0; i < 9; ++i) {
            clients.push_back(std::make_unique<ChannelClient>(
                m_server->channelUrl(i % 2 ? Event : QStringLiteral("open-air"))));
        }
        for (const auto &client : clients)
            QTRY_COMPARE(client->messages().size(), 1);
        QCOMPARE(hub().subscribersPerThread(), QList<int>({3, 3, 3}));
        // One more, perhaps still on its way to a thread as the server goes.
        ChannelClient late(m_server->channelUrl(Event));
        QTRY_VERIFY(hub().subscriberCount(Event) == 5);
        m_http.reset();
        m_server.reset();
        for (const auto &client : clients) {
            QTRY_VERIFY(client->closed());
            QCOMPARE(client->closeCode(), int(QWebSocketProtocol::CloseCodeGoingAway));
        }
        QTRY_VERIFY(late.closed());
    }

    void aClientsCloseIsAnswered()
    {
        QVERIFY(startServer(2));
        ChannelClient client(m_server->channelUrl(Event));
        QTRY_COMPARE(client.messages().size(), 1);
        client.socket().close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
        QTRY_VERIFY(client.closed());
        QCOMPARE(client.closeCode(), int(QWebSocketProtocol::CloseCodeNormal));
        QTRY_COMPARE(hub().subscriberCount(Event), 0);
        QTRY_COMPARE(hub().subscribersPerThread(), QList<int>({0, 0}));
    }

private:
    bool startServer(int threads)
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().channelLimits.senderThreads = threads;
        if (!m_server->start()) {
            qWarning("%s", qPrintable(m_server->error()));
            return false;
        }
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
        return true;
    }

    ChannelHub &hub() { return m_server->server().hub(); }

    QStringList availableSeats()
    {
        const auto snapshot = Protocol::decodeChannelMessage(
            m_http->get(QStringLiteral("/api/v1/events/breakfast-ii/availability")).body);
        QStringList seats;
        for (auto it = snapshot->seats.cbegin(); it != snapshot->seats.cend(); ++it) {
            if (it.value() == SeatState::Available)
                seats.append(it.key());
        }
        seats.sort();
        return seats;
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
};

QTEST_GUILESS_MAIN(TestChannelThreads)
#include "tst_channelthreads.moc"
