// The door over real HTTP: a sold ticket's code lets in once; a second scan,
// a refunded ticket, another event's ticket and an unknown code are refused
// with their reasons; two scans of one ticket at the same moment (on
// PostgreSQL: at two servers) give exactly one OK.
#include "HttpClient.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

class TestCheckIn : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void init()
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
        m_clerk = m_server->issueToken(Role::Clerk);
    }

    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void inOnceThenRefusedWithTheReason()
    {
        const QStringList codes
            = sell(QStringLiteral("breakfast-ii"), {QStringLiteral("C3"), QStringLiteral("C4")});
        QCOMPARE(codes.size(), 2);
        QCOMPARE(counts(QStringLiteral("breakfast-ii")), (std::pair{0, 2}));

        const auto ok = scan(codes.at(0), QStringLiteral("breakfast-ii"));
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json().value(QLatin1String("result")).toString(), QStringLiteral("ok"));
        const QJsonObject ticket = ok.json().value(QLatin1String("ticket")).toObject();
        QCOMPARE(ticket.value(QLatin1String("seat")).toString(), QStringLiteral("C3"));
        QCOMPARE(ticket.value(QLatin1String("categoryName")).toString(), QStringLiteral("Stalls"));
        QCOMPARE(counts(QStringLiteral("breakfast-ii")), (std::pair{1, 2}));

        m_server->clock().advance(60'000);
        const auto again = scan(codes.at(0), QStringLiteral("breakfast-ii"));
        QCOMPARE(again.status, 409);
        QCOMPARE(again.json().value(QLatin1String("error")).toString(),
            QStringLiteral("already_redeemed"));
        // When it got in, not when it was tried again.
        QCOMPARE(again.json().value(QLatin1String("at")).toString(),
            ticket.value(QLatin1String("redeemedAt")).toString());

        const auto elsewhere = scan(codes.at(1), QStringLiteral("open-air"));
        QCOMPARE(elsewhere.status, 409);
        QCOMPARE(elsewhere.json().value(QLatin1String("error")).toString(),
            QStringLiteral("wrong_event"));
        QCOMPARE(elsewhere.json().value(QLatin1String("event")).toString(),
            QStringLiteral("breakfast-ii"));

        const auto unknown = scan(QStringLiteral("no-such-code-0123456789abcdefghij"), {});
        QCOMPARE(unknown.status, 404);
        QCOMPARE(scan(QString(), {}).status, 400);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/checkin"),
                         QJsonObject{{QStringLiteral("code"), codes.at(1)}})
                     .status,
            401);
        // A payment provider's credential is no door.
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/checkin"),
                         QJsonObject{{QStringLiteral("code"), codes.at(1)}},
                         m_server->issueCredential(Credentials::Purpose::Payments))
                     .status,
            403);
    }

    void aRefundedTicketIsRevoked()
    {
        const auto [order, codes]
            = sellOrder(QStringLiteral("breakfast-ii"), {QStringLiteral("D5")});
        const auto refunded = m_http->post(QStringLiteral("/api/v1/orders/%1/refund").arg(order),
            QByteArray(), m_server->staffToken());
        QCOMPARE(refunded.status, 200);
        const auto scanned = scan(codes.first(), QStringLiteral("breakfast-ii"));
        QCOMPARE(scanned.status, 409);
        QCOMPARE(
            scanned.json().value(QLatin1String("error")).toString(), QStringLiteral("revoked"));
        QCOMPARE(counts(QStringLiteral("breakfast-ii")), (std::pair{0, 0}));
        // A scanner's credential opens the door too (and sees the refusal).
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/checkin"),
                         QJsonObject{{QStringLiteral("code"), codes.first()}},
                         m_server->issueCredential(Credentials::Purpose::Scanner))
                     .status,
            409);
    }

    void aResentScanGetsItsFirstVerdict()
    {
        // Qt resends a POST whose connection closed before the answer: the
        // guest it let in must not read "already in".
        const QStringList codes = sell(QStringLiteral("breakfast-ii"), {QStringLiteral("G3")});
        const QByteArray body
            = QJsonDocument(QJsonObject{{QStringLiteral("code"), codes.first()},
                                {QStringLiteral("event"), QStringLiteral("breakfast-ii")}})
                  .toJson(QJsonDocument::Compact);
        const HttpClient::Headers headers{{"Authorization", "Bearer " + m_clerk.toLatin1()},
            {"Idempotency-Key", "door-1-scan-17"}};
        const auto first = m_http->post(QStringLiteral("/api/v1/checkin"), body, headers);
        QCOMPARE(first.status, 200);
        m_server->clock().advance(5'000);
        const auto again = m_http->post(QStringLiteral("/api/v1/checkin"), body, headers);
        QCOMPARE(again.status, 200);
        QCOMPARE(again.body, first.body);
        // Without the key (or with another) it is a second scan.
        QCOMPARE(scan(codes.first(), QStringLiteral("breakfast-ii")).status, 409);
        const QStringList other = sell(QStringLiteral("breakfast-ii"), {QStringLiteral("G4")});
        const QByteArray otherBody = QJsonDocument(
            QJsonObject{{QStringLiteral("code"),
                other.first()}}).toJson(QJsonDocument::Compact);
        QCOMPARE(m_http->post(QStringLiteral("/api/v1/checkin"), otherBody, headers).status, 422);
        QCOMPARE(counts(QStringLiteral("breakfast-ii")), (std::pair{1, 2}));
    }

    void aCheckedInOrderIsNotRefunded()
    {
        const auto [order, codes]
            = sellOrder(QStringLiteral("breakfast-ii"), {QStringLiteral("F2")});
        QCOMPARE(scan(codes.first(), QStringLiteral("breakfast-ii")).status, 200);
        // Someone sits there: the seat must not go back on sale.
        const auto refused = m_http->post(QStringLiteral("/api/v1/orders/%1/refund").arg(order),
            QByteArray(), m_server->staffToken());
        QCOMPARE(refused.status, 409);
        QCOMPARE(
            refused.json().value(QLatin1String("error")).toString(), QStringLiteral("checked_in"));
        const auto seats = m_http->get(QStringLiteral("/api/v1/events/breakfast-ii/availability"))
                               .json()
                               .value(QLatin1String("seats"))
                               .toObject();
        QCOMPARE(seats.value(QStringLiteral("F2")).toString(), QStringLiteral("sold"));
    }

    void generalAdmissionTicketsEachLetOneIn()
    {
        const QStringList codes = sellPlaces(QStringLiteral("open-air"), 2);
        QCOMPARE(codes.size(), 2);
        QVERIFY(codes.at(0) != codes.at(1));
        for (const QString &code : codes) {
            const auto ok = scan(code, QStringLiteral("open-air"));
            QCOMPARE(ok.status, 200);
            QVERIFY(ok.json()
                        .value(QLatin1String("ticket"))
                        .toObject()
                        .value(QLatin1String("seat"))
                        .isNull());
        }
        QCOMPARE(counts(QStringLiteral("open-air")), (std::pair{2, 2}));
    }

    void twoScansAtOnceGiveOneOk()
    {
        const QStringList codes = sell(QStringLiteral("breakfast-ii"), {QStringLiteral("E7")});
        // On PostgreSQL the second door is another server on the database.
        std::unique_ptr<TestServer> second;
        QUrl secondUrl = m_server->httpUrl();
        if (m_server->database().backend == DatabaseConfig::Backend::Postgres) {
            second = std::make_unique<TestServer>(m_server->database());
            QVERIFY2(second->start(), qPrintable(second->error()));
            secondUrl = second->httpUrl();
        }
        QNetworkAccessManager network;
        QList<QNetworkReply *> replies;
        for (const QUrl &base : {m_server->httpUrl(), secondUrl}) {
            QNetworkRequest request(base.resolved(QUrl(QStringLiteral("/api/v1/checkin"))));
            request.setHeader(
                QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            request.setRawHeader("Authorization", "Bearer " + m_clerk.toLatin1());
            replies.append(network.post(request,
                QJsonDocument(QJsonObject{{QStringLiteral("code"), codes.first()}}).toJson()));
        }
        QTRY_VERIFY(replies.at(0)->isFinished() && replies.at(1)->isFinished());
        QList<int> statuses;
        for (QNetworkReply *reply : replies)
            statuses.append(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt());
        std::sort(statuses.begin(), statuses.end());
        QCOMPARE(statuses, (QList<int>{200, 409}));
        qDeleteAll(replies);
    }

private:
    std::pair<QString, QStringList> sellOrder(
        const QString &event, const QStringList &seats, int places = 0)
    {
        const auto [cart, token] = m_http->newCart();
        const auto held = seats.isEmpty() ? m_http->holdPlaces(cart, token, event, places)
                                          : m_http->holdSeats(cart, token, event, seats);
        if (held.status != 201)
            qWarning("hold: %d %s", held.status, held.body.constData());
        const auto sold = m_http->sellCash(cart, m_clerk);
        QStringList codes;
        for (const QJsonValue &ticket : sold.json().value(QLatin1String("tickets")).toArray())
            codes.append(ticket.toObject().value(QLatin1String("code")).toString());
        return {sold.json().value(QLatin1String("order")).toString(), codes};
    }
    QStringList sell(const QString &event, const QStringList &seats)
    {
        return sellOrder(event, seats).second;
    }
    QStringList sellPlaces(const QString &event, int places)
    {
        return sellOrder(event, {}, places).second;
    }

    HttpClient::Response scan(const QString &code, const QString &event)
    {
        QJsonObject body{{QStringLiteral("code"), code}};
        if (!event.isEmpty())
            body.insert(QStringLiteral("event"), event);
        return m_http->post(QStringLiteral("/api/v1/checkin"), body, m_clerk);
    }

    std::pair<int, int> counts(const QString &event)
    {
        const QJsonObject answer
            = m_http->get(QStringLiteral("/api/v1/events/%1/checkins").arg(event), m_clerk).json();
        return {answer.value(QLatin1String("entered")).toInt(-1),
            answer.value(QLatin1String("sold")).toInt(-1)};
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
    QString m_clerk;
};

QTEST_GUILESS_MAIN(TestCheckIn)
#include "tst_checkin.moc"
