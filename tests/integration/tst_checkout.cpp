// The online checkout over real HTTP: payment start, idempotent
// confirmation, the order view, refund — and the channel announcing each.
#include "ChannelClient.h"
#include "HttpClient.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QLocale>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

class TestCheckout : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void init()
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
    }

    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void confirmOverHttp()
    {
        ChannelClient watcher(m_server->channelUrl(QStringLiteral("breakfast-ii")));
        QTRY_COMPARE(watcher.messages().size(), 1);
        const qint64 start = watcher.messages().first().version;

        const auto [cart, token] = m_http->newCart();
        QCOMPARE(hold(cart, token, QStringLiteral("G7")).status, 201);
        QTRY_COMPARE(watcher.messages().size(), 2);

        const auto checkout = m_http->post(QStringLiteral("/api/v1/carts/%1/checkout").arg(cart),
            QByteArrayLiteral(R"({"name":"Ada Lovelace","email":"ada@example.org"})"), token);
        QCOMPARE(checkout.status, 201);
        const QJsonObject payment = checkout.json().value(QLatin1String("payment")).toObject();
        const QString paymentId = payment.value(QLatin1String("id")).toString();
        const QString order = checkout.json().value(QLatin1String("order")).toString();
        QCOMPARE(payment.value(QLatin1String("amount")).toInt(), 3000);
        QCOMPARE(payment.value(QLatin1String("currency")).toString(), QStringLiteral("EUR"));

        const QJsonObject report{{QStringLiteral("key"), QStringLiteral("idem-1")},
            {QStringLiteral("amount"), 3000},
            {QStringLiteral("reference"), QStringLiteral("psp-1")}};
        const QString confirmPath = QStringLiteral("/api/v1/payments/%1/confirm").arg(paymentId);
        // Only the payment provider confirms a payment: the customer's own
        // cart token must not buy tickets without paying, and no staff
        // member (not even an admin) marks an online order paid.
        const auto [otherCart, otherToken] = m_http->newCart();
        QCOMPARE(m_http->post(confirmPath, report, token).status, 401);
        QCOMPARE(m_http->post(confirmPath, report, otherToken).status, 401);
        for (Role role : {Role::Clerk, Role::Manager, Role::Admin})
            QCOMPARE(m_http->post(confirmPath, report, m_server->issueToken(role)).status, 403);
        const QString staff = m_server->issueCredential(Credentials::Purpose::Payments);

        const auto confirmed = m_http->post(confirmPath, report, staff);
        QCOMPARE(confirmed.status, 200);
        QCOMPARE(confirmed.json().value(QLatin1String("state")).toString(), QStringLiteral("paid"));
        QTRY_COMPARE(watcher.messages().size(), 3);
        QCOMPARE(watcher.messages().at(2).version, start + 2);
        QCOMPARE(watcher.messages().at(2).seats.value(QStringLiteral("G7")), SeatState::Sold);

        // Replayed: same answer, no new announcement.
        const auto replay = m_http->post(confirmPath, report, staff);
        QCOMPARE(replay.status, 200);
        QCOMPARE(replay.body, confirmed.body);
        QJsonObject changed = report;
        changed.insert(QStringLiteral("amount"), 2999);
        QCOMPARE(m_http->post(confirmPath, changed, staff).status, 422);
        QCOMPARE(m_http->post(confirmPath, QByteArray("{\"amount\":3000}"), staff).status,
            400); // no key

        const auto view = m_http->get(QStringLiteral("/api/v1/orders/%1").arg(order), token);
        QCOMPARE(view.status, 200);
        QCOMPARE(view.json().value(QLatin1String("state")).toString(), QStringLiteral("paid"));
        QCOMPARE(view.json()
                     .value(QLatin1String("tickets"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QLatin1String("seat"))
                     .toString(),
            QStringLiteral("G7"));
        QCOMPARE(
            m_http->get(QStringLiteral("/api/v1/orders/%1").arg(order), otherToken).status, 401);

        // Refunds are for staff; the seat comes back and is announced.
        const QString refundPath = QStringLiteral("/api/v1/orders/%1/refund").arg(order);
        QCOMPARE(m_http->post(refundPath, QByteArray(), token).status, 401);
        QCOMPARE(m_http->post(refundPath, QByteArray(), staff).status, 403); // the provider
        const auto refunded = m_http->post(refundPath, QByteArray(), m_server->staffToken());
        QCOMPARE(refunded.status, 200);
        QCOMPARE(
            refunded.json().value(QLatin1String("state")).toString(), QStringLiteral("refunded"));
        QTRY_COMPARE(watcher.messages().size(), 4);
        QCOMPARE(watcher.messages().at(3).seats.value(QStringLiteral("G7")), SeatState::Available);
        QCOMPARE(m_http->post(refundPath, QByteArray(), m_server->staffToken()).status, 409);
        QCOMPARE(watcher.messages().size(), 4);
    }

    void renewAndLimits()
    {
        const auto [cart, token] = m_http->newCart();
        const auto held = hold(cart, token, QStringLiteral("H9"));
        const QString renewPath
            = QStringLiteral("/api/v1/carts/%1/holds/%2/renew")
                  .arg(cart, held.json().value(QLatin1String("hold")).toString());
        // Every answer says how many renewals are left, so a counter can
        // say whether "more time" still works.
        QCOMPARE(held.json().value(QLatin1String("renewalsLeft")).toInt(-1), 2);
        m_server->clock().advance(60'000);
        const auto renewed = m_http->post(renewPath, QByteArray(), token);
        QCOMPARE(renewed.status, 200);
        QVERIFY(renewed.json().value(QLatin1String("expiresAt")).toString()
            > held.json().value(QLatin1String("expiresAt")).toString());
        QCOMPARE(renewed.json().value(QLatin1String("renewalsLeft")).toInt(-1), 1);
        const auto cartView = m_http->get(QStringLiteral("/api/v1/carts/%1").arg(cart), token);
        QCOMPARE(cartView.json()
                     .value(QLatin1String("holds"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QLatin1String("renewalsLeft"))
                     .toInt(-1),
            1);
        const auto last = m_http->post(renewPath, QByteArray(), token);
        QCOMPARE(last.status, 200);
        QCOMPARE(last.json().value(QLatin1String("renewalsLeft")).toInt(-1), 0);
        QCOMPARE(m_http->post(renewPath, QByteArray(), token).status, 409);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/carts/%1/checkout").arg(cart),
                         QByteArrayLiteral(R"({"name":"Ada Lovelace","email":"ada@example.org"})"),
                         QStringLiteral("wrong"))
                     .status,
            401);
    }

    // A clerk sees until when someone else holds a seat: the hold's end,
    // renewals included; free seats and others' sales are not listed.
    void theCounterLearnsUntilWhenASeatIsHeld()
    {
        const auto [cart, token] = m_http->newCart();
        const auto held = hold(cart, token, QStringLiteral("J7"));
        QCOMPARE(held.status, 201);
        m_server->clock().advance(60'000);
        const auto renewed
            = m_http->post(QStringLiteral("/api/v1/carts/%1/holds/%2/renew")
                               .arg(cart, held.json().value(QLatin1String("hold")).toString()),
                QByteArray(), token);
        QCOMPARE(renewed.status, 200);
        const QString path = QStringLiteral("/api/v1/counter/events/breakfast-ii/held?seats=J7,J8");
        const auto answer = m_http->get(path, m_server->issueToken(Role::Clerk));
        QCOMPARE(answer.status, 200);
        const QJsonObject seats = answer.json().value(QLatin1String("seats")).toObject();
        QCOMPARE(seats.keys(), QStringList{QStringLiteral("J7")});
        QCOMPARE(seats.value(QLatin1String("J7")).toString(),
            renewed.json().value(QLatin1String("expiresAt")).toString());
        QCOMPARE(m_http->get(path).status, 401);
        QCOMPARE(m_http
                     ->get(QStringLiteral("/api/v1/counter/events/breakfast-ii/held?seats="),
                         m_server->staffToken())
                     .status,
            400);
        // Once it ran out, nobody holds it.
        m_server->clock().advance(16 * 60'000);
        QCOMPARE(m_http->get(path, m_server->staffToken())
                     .json()
                     .value(QLatin1String("seats"))
                     .toObject()
                     .size(),
            0);
    }

    // A counter counts holds down against the server's time, which it
    // learns from the Date header: so the header must be the server's clock.
    void answersAreDatedByTheServersClock()
    {
        m_server->clock().advance(3'600'000);
        const QDateTime now = m_server->clock().now();
        const auto answer = m_http->get(QStringLiteral("/api/v1/events"));
        QCOMPARE(answer.status, 200);
        QDateTime date = QLocale::c().toDateTime(QString::fromLatin1(answer.header("Date")),
            QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
        date.setTimeSpec(Qt::UTC);
        QVERIFY2(date.isValid(), answer.header("Date").constData());
        QCOMPARE(date, now.addMSecs(-(now.time().msec())));
        // Refusals too (the counter learns the time from whatever answers).
        const auto refused = m_http->get(QStringLiteral("/api/v1/nothing"));
        QCOMPARE(refused.status, 404);
        QVERIFY(!refused.header("Date").isEmpty());
    }

    void counterSaleIsIdempotent()
    {
        ChannelClient watcher(m_server->channelUrl(QStringLiteral("breakfast-ii")));
        QTRY_COMPARE(watcher.messages().size(), 1);
        const QString staff = m_server->staffToken();
        const auto [cart, token] = m_http->newCart();
        const auto held = hold(cart, token, QStringLiteral("H4"));
        QCOMPARE(held.status, 201);
        const QString holdId = held.json().value(QLatin1String("hold")).toString();
        QTRY_COMPARE(watcher.messages().size(), 2);

        // A terminal must name its sale, so that a retry can be recognised.
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/counter/sales"),
                         QJsonObject{{QStringLiteral("cart"), cart},
                             {QStringLiteral("payment"), QStringLiteral("cash")}},
                         staff)
                     .status,
            400);
        const auto first = m_http->sellCash(cart, staff, {holdId}, QStringLiteral("sale-1"));
        QCOMPARE(first.status, 201);
        QTRY_COMPARE(watcher.messages().size(), 3);
        // The answer was lost; the terminal asks again with the same key and
        // gets the same order, not "nothing to sell".
        const auto again = m_http->sellCash(cart, staff, {holdId}, QStringLiteral("sale-1"));
        QCOMPARE(again.status, 201);
        QCOMPARE(
            again.json().value(QLatin1String("order")), first.json().value(QLatin1String("order")));
        QCOMPARE(again.json().value(QLatin1String("total")).toInt(), 3000);
        QCOMPARE(again.json().value(QLatin1String("tickets")).toArray().size(), 1);
        QVERIFY(again.json().value(QLatin1String("replayed")).toBool());
        // The same key with another request does nothing.
        const auto [other, otherToken] = m_http->newCart();
        QCOMPARE(hold(other, otherToken, QStringLiteral("H5")).status, 201);
        QCOMPARE(m_http->sellCash(other, staff, {}, QStringLiteral("sale-1")).status, 422);
        QCOMPARE(m_http->sellCash(other, staff).status, 201); // a new key sells it
        // Exactly two sales happened.
        QTRY_COMPARE(watcher.messages().size(), 5);
        QCOMPARE(watcher.messages().last().seats.value(QStringLiteral("H5")), SeatState::Sold);
    }

    void counterSaleRefusesRepeatedHolds()
    {
        const QString staff = m_server->staffToken();
        const auto [cart, token] = m_http->newCart();
        const QString seated = hold(cart, token, QStringLiteral("H6"))
                                   .json()
                                   .value(QLatin1String("hold"))
                                   .toString();
        const QString general = m_http->holdPlaces(cart, token, QStringLiteral("open-air"), 2)
                                    .json()
                                    .value(QLatin1String("hold"))
                                    .toString();
        QVERIFY(!seated.isEmpty() && !general.isEmpty());
        QCOMPARE(m_http->sellCash(cart, staff, {seated, seated}).status, 400);
        QCOMPARE(m_http->sellCash(cart, staff, {general, seated, general}).status, 400);
        QCOMPARE(m_http->sellCash(cart, staff, {seated}).status, 201);
    }

    void confirmationReferenceMustBeText()
    {
        const QString provider = m_server->issueCredential(Credentials::Purpose::Payments);
        const auto [cart, token] = m_http->newCart();
        QCOMPARE(hold(cart, token, QStringLiteral("H8")).status, 201);
        const auto checkout = m_http->post(QStringLiteral("/api/v1/carts/%1/checkout").arg(cart),
            QByteArrayLiteral(R"({"name":"Ada Lovelace","email":"ada@example.org"})"), token);
        const QString paymentId = checkout.json()
                                      .value(QLatin1String("payment"))
                                      .toObject()
                                      .value(QLatin1String("id"))
                                      .toString();
        const QString path = QStringLiteral("/api/v1/payments/%1/confirm").arg(paymentId);
        for (const QByteArray &reference : {QByteArray("7"), QByteArray("true"), QByteArray("[]"),
                 QByteArray("{}"), QByteArray("null")}) {
            const QByteArray body = "{\"key\":\"k-" + reference.toHex()
                + "\",\"amount\":3000,\"reference\":" + reference + "}";
            QCOMPARE(m_http->post(path, body, provider).status, 400);
        }
        QCOMPARE(m_http
                     ->post(path,
                         QByteArray("{\"key\":\"k-ok\",\"amount\":3000,\"reference\":\"psp-9\"}"),
                         provider)
                     .status,
            200);
    }

    void aHoldIsReleasedOnlyByItsOwnCartOutsideCheckout()
    {
        const auto [cart, token] = m_http->newCart();
        const auto held = hold(cart, token, QStringLiteral("G8"));
        QCOMPARE(held.status, 201);
        const QString holdId = held.json().value(QLatin1String("hold")).toString();
        const auto [other, otherToken] = m_http->newCart();
        // Another cart, with its own valid token, names this hold: not its to release.
        QCOMPARE(
            m_http->del(QStringLiteral("/api/v1/carts/%1/holds/%2").arg(other, holdId), otherToken)
                .status,
            404);
        QCOMPARE(hold(other, otherToken, QStringLiteral("G8")).status, 409);
        // In checkout the hold belongs to the order: its own cart cannot drop it either.
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/carts/%1/checkout").arg(cart),
                         QByteArrayLiteral(R"({"name":"Ada Lovelace","email":"ada@example.org"})"),
                         token)
                     .status,
            201);
        QCOMPARE(m_http->del(QStringLiteral("/api/v1/carts/%1/holds/%2").arg(cart, holdId), token)
                     .status,
            404);
        QCOMPARE(hold(other, otherToken, QStringLiteral("G8")).status, 409);

        const auto second = hold(cart, token, QStringLiteral("G9"));
        QCOMPARE(second.status, 201);
        const QString path = QStringLiteral("/api/v1/carts/%1/holds/%2")
                                 .arg(cart, second.json().value(QLatin1String("hold")).toString());
        QCOMPARE(m_http->del(path, token).status, 204);
        QCOMPARE(m_http->del(path, token).status, 404);
        QCOMPARE(hold(other, otherToken, QStringLiteral("G9")).status, 201);
    }

private:
    HttpClient::Response hold(const QString &cart, const QString &token, const QString &seat)
    {
        return m_http->holdSeats(cart, token, QStringLiteral("breakfast-ii"), {seat});
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
};

QTEST_GUILESS_MAIN(TestCheckout)
#include "tst_checkout.moc"
