// The online purchase through the built-in test provider, over real HTTP:
// checkout with the buyer, the hosted page's Pay and Decline, signed reports
// (forged, stale and repeated ones), a payment after the hold ran out (seats
// taken again, or refunded), the order page's secret link, the tickets' PDF
// and the confirmation e-mail at a real SMTP server.
#include "ChannelClient.h"
#include "HoldExpiry.h"
#include "HttpClient.h"
#include "MailSink.h"
#include "PaymentSetup.h"
#include "ServerSecrets.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"
#include "TestServer.h"
#include "TicketPdf.h"
#include "WebhookSignature.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

namespace {

const QByteArray buyer = QByteArrayLiteral(R"({"name":"Ada Lovelace","email":"ada@example.org"})");
const HttpClient::Headers form{{"Content-Type", "application/x-www-form-urlencoded"}};

/// The part of an order link after "#key=".
QString keyOf(const QByteArray &location)
{
    return QString::fromLatin1(location.mid(location.indexOf("#key=") + 5));
}

QString queryOf(const QByteArray &location, const QString &name)
{
    const QByteArray path = location.left(location.indexOf('#'));
    return QUrlQuery(QUrl(QString::fromLatin1(path)).query()).queryItemValue(name);
}

} // namespace

class TestOnlinePayment : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void init()
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().paymentSeconds = 600;
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_server->server().setTicketRenderer(&TicketPdf::render);
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
    }

    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void checkoutNeedsTheBuyer_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("no body") << QByteArray();
        QTest::newRow("no e-mail") << QByteArrayLiteral(R"({"name":"Ada"})");
        QTest::newRow("not an address") << QByteArrayLiteral(R"({"name":"Ada","email":"ada"})");
        QTest::newRow("two addresses")
            << QByteArrayLiteral(R"({"name":"Ada","email":"a@x.org,b@y.org"})");
        QTest::newRow("a header in the name")
            << QByteArrayLiteral("{\"name\":\"Ada\\r\\nBcc: all@x.org\",\"email\":\"a@x.org\"}");
        QTest::newRow("empty name") << QByteArrayLiteral(R"({"name":"  ","email":"a@x.org"})");
    }

    void checkoutNeedsTheBuyer()
    {
        QFETCH(QByteArray, body);
        const auto [cart, token] = heldCart(QStringLiteral("G7"));
        const auto refused = m_http->post(checkoutPath(cart), body, token);
        QCOMPARE(refused.status, 400);
        QCOMPARE(
            refused.json().value(QLatin1String("error")).toString(), QStringLiteral("bad_request"));
        // Nothing started: a good request afterwards starts the payment.
        QCOMPARE(m_http->post(checkoutPath(cart), buyer, token).status, 201);
    }

    void payOnTheProvidersPageOpensTheOrder()
    {
        ChannelClient watcher(m_server->channelUrl(QStringLiteral("breakfast-ii")));
        QTRY_COMPARE(watcher.messages().size(), 1);
        const auto [cart, token] = heldCart(QStringLiteral("G7"));
        const QJsonObject payment = startPayment(cart, token);
        const QString redirect = payment.value(QLatin1String("redirect")).toString();
        QVERIFY2(redirect.startsWith(QLatin1String("/pay/test/")), qPrintable(redirect));

        const auto page = m_http->get(redirect);
        QCOMPARE(page.status, 200);
        QVERIFY(page.contentType.startsWith("text/html"));
        QVERIFY(page.body.contains("30.00 EUR"));
        QVERIFY(page.body.contains("G7"));
        QVERIFY(page.body.contains("Ada Lovelace"));
        // The page needs its link's key: another payment's or none is 404.
        const QString bare = redirect.left(redirect.indexOf(u'?'));
        QCOMPARE(m_http->get(bare).status, 404);
        QCOMPARE(m_http->get(bare + QStringLiteral("?key=AAAA")).status, 404);
        QCOMPARE(
            m_http->post(bare + QStringLiteral("?key=AAAA"), "decision=pay", form).status, 404);

        const auto paid = m_http->post(redirect, "decision=pay", form);
        QCOMPARE(paid.status, 303);
        QVERIFY2(paid.location.startsWith("/order.html?order="), paid.location.constData());
        QCOMPARE(queryOf(paid.location, QStringLiteral("outcome")), QStringLiteral("paid"));
        QTRY_COMPARE(watcher.messages().last().seats.value(QStringLiteral("G7")), SeatState::Sold);

        // The link's key opens the order; a wrong one does not.
        const QString order = queryOf(paid.location, QStringLiteral("order"));
        const auto shown = m_http->get(orderPath(order), keyOf(paid.location));
        QCOMPARE(shown.status, 200);
        QCOMPARE(shown.json().value(QLatin1String("state")).toString(), QStringLiteral("paid"));
        QCOMPARE(
            shown.json().value(QLatin1String("buyer")).toString(), QStringLiteral("Ada Lovelace"));
        const QJsonObject ticket
            = shown.json().value(QLatin1String("tickets")).toArray().first().toObject();
        QCOMPARE(ticket.value(QLatin1String("seat")).toString(), QStringLiteral("G7"));
        QCOMPARE(ticket.value(QLatin1String("code")).toString().size(), 32);
        QCOMPARE(
            ticket.value(QLatin1String("timeZone")).toString(), QStringLiteral("Europe/Berlin"));
        QVERIFY(ticket.value(QLatin1String("qr")).toString().contains(QLatin1String("<svg")));
        QCOMPARE(
            m_http->get(orderPath(order), QStringLiteral("A") + keyOf(paid.location).mid(1)).status,
            401);

        const auto pdf
            = m_http->get(orderPath(order) + QStringLiteral("/tickets.pdf"), keyOf(paid.location));
        QCOMPARE(pdf.status, 200);
        QCOMPARE(pdf.contentType, QByteArrayLiteral("application/pdf"));
        QVERIFY(pdf.body.startsWith("%PDF-"));
        QCOMPARE(pdf.body.count(QByteArrayLiteral("/Type /Page\n")), 1);
        QCOMPARE(m_http->get(orderPath(order) + QStringLiteral("/tickets.pdf")).status, 401);
    }

    void forgedAndStaleReportsChangeNothing()
    {
        const auto [cart, token] = heldCart(QStringLiteral("G7"));
        const QString payment = startPayment(cart, token).value(QLatin1String("id")).toString();
        const QByteArray body = report(QStringLiteral("evt_1"), payment, 3000);
        const QDateTime now = m_server->clock().now();

        QCOMPARE(deliver(body, WebhookSignature("not the secret").sign(body, now)).status, 400);
        QCOMPARE(deliver(body, {}).status, 400);
        QCOMPARE(deliver(body, "t=1,v1=zz").status, 400);
        // Signed, then changed on the way.
        QByteArray tampered = body;
        tampered.replace("3000", "3001");
        QCOMPARE(deliver(tampered, signature(body, now)).status, 400);
        // Genuine, but older than 5 minutes: a captured report replayed later.
        const auto stale = deliver(body, signature(body, now.addSecs(-301)));
        QCOMPARE(stale.status, 400);
        QCOMPARE(stale.json().value(QLatin1String("error")).toString(), QStringLiteral("stale"));
        QCOMPARE(paymentState(payment), QStringLiteral("pending"));

        const auto good = deliver(body, signature(body, now.addSecs(-299)));
        QCOMPARE(good.status, 200);
        QCOMPARE(good.json().value(QLatin1String("result")).toString(), QStringLiteral("paid"));
        QCOMPARE(paymentState(payment), QStringLiteral("confirmed"));
    }

    void aRepeatedEventGetsTheFirstAnswer()
    {
        ChannelClient watcher(m_server->channelUrl(QStringLiteral("breakfast-ii")));
        const auto [cart, token] = heldCart(QStringLiteral("G7"));
        QTRY_COMPARE(watcher.messages().size(), 2);
        const QString payment = startPayment(cart, token).value(QLatin1String("id")).toString();
        const QByteArray body = report(QStringLiteral("evt_same"), payment, 3000);
        const auto first = deliver(body, signature(body, m_server->clock().now()));
        QCOMPARE(first.status, 200);
        QTRY_COMPARE(watcher.messages().size(), 3);
        m_server->clock().advance(1000);
        const auto again = deliver(body, signature(body, m_server->clock().now()));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.body, first.body);
        // The same event id with other content is not the same event.
        const QByteArray other = report(QStringLiteral("evt_same"), payment, 2000);
        QCOMPARE(deliver(other, signature(other, m_server->clock().now())).status, 422);
        // Nothing was announced for the repeats: the next message is the
        // next change.
        heldCart(QStringLiteral("H8"));
        QTRY_COMPARE(watcher.messages().size(), 4);
        QCOMPARE(watcher.messages().last().seats.value(QStringLiteral("H8")), SeatState::Held);
        QCOMPARE(watcher.messages().last().version, watcher.messages().at(2).version + 1);
    }

    void declineReturnsTheHoldsToTheCart()
    {
        const auto [cart, token] = heldCart(QStringLiteral("G7"));
        const QJsonObject payment = startPayment(cart, token);
        const auto inCheckout = [&] {
            return m_http->get(QStringLiteral("/api/v1/carts/%1").arg(cart), token)
                .json()
                .value(QLatin1String("holds"))
                .toArray()
                .first()
                .toObject()
                .value(QLatin1String("inCheckout"));
        };
        QCOMPARE(inCheckout(), QJsonValue(true));
        const auto declined = m_http->post(
            payment.value(QLatin1String("redirect")).toString(), "decision=decline", form);
        QCOMPARE(declined.status, 303);
        QCOMPARE(declined.location, QByteArrayLiteral("/?payment=declined"));

        // The seat is still this cart's, held; a new checkout starts a new payment.
        const auto shown = m_http->get(QStringLiteral("/api/v1/carts/%1").arg(cart), token);
        QCOMPARE(shown.status, 200);
        QVERIFY2(shown.body.contains("G7"), shown.body.constData());
        QCOMPARE(inCheckout(), QJsonValue(false));
        QCOMPARE(availability().value(QStringLiteral("G7")).toString(), QStringLiteral("held"));
        const QJsonObject second = startPayment(cart, token);
        QVERIFY(second.value(QLatin1String("id")).toString()
            != payment.value(QLatin1String("id")).toString());
        // A success reported for the declined payment does not sell.
        const QString first = payment.value(QLatin1String("id")).toString();
        const QByteArray late = report(QStringLiteral("evt_late"), first, 3000);
        const auto answer = deliver(late, signature(late, m_server->clock().now()));
        QCOMPARE(answer.json().value(QLatin1String("result")).toString(), QStringLiteral("refund"));
        QCOMPARE(availability().value(QStringLiteral("G7")).toString(), QStringLiteral("held"));
    }

    void checkoutAndDeclineDoNotHoldForEver()
    {
        // Each payment start extends the hold and counts as a renewal; past
        // the limit a new payment no longer moves the hold's end.
        const auto [cart, token] = heldCart(QStringLiteral("G7"));
        QDateTime paymentEnds;
        for (int round = 0; round < 4; ++round) {
            // 9 minutes on: each payment window ends after the hold would.
            m_server->clock().advance(540'000);
            const QJsonObject payment = startPayment(cart, token);
            paymentEnds = QDateTime::fromString(
                payment.value(QLatin1String("expiresAt")).toString(), Qt::ISODate);
            if (round < 3)
                QCOMPARE(holdEnds(cart), paymentEnds);
            QCOMPARE(m_http
                         ->post(payment.value(QLatin1String("redirect")).toString(),
                             "decision=decline", form)
                         .status,
                303);
        }
        QVERIFY2(holdEnds(cart) < paymentEnds, qPrintable(holdEnds(cart).toString(Qt::ISODate)));
    }

    void aLatePaymentTakesFreeSeatsAgain()
    {
        const auto [cart, token] = heldCart(QStringLiteral("G7"));
        const QJsonObject payment = startPayment(cart, token);
        runOutOfTime();
        QCOMPARE(
            availability().value(QStringLiteral("G7")).toString(), QStringLiteral("available"));

        const auto paid = m_http->post(
            payment.value(QLatin1String("redirect")).toString(), "decision=pay", form);
        QCOMPARE(paid.status, 303);
        QCOMPARE(queryOf(paid.location, QStringLiteral("outcome")), QStringLiteral("retaken"));
        QCOMPARE(availability().value(QStringLiteral("G7")).toString(), QStringLiteral("sold"));
    }

    void aLatePaymentForTakenSeatsIsRefunded()
    {
        const auto [cart, token] = heldCart(QStringLiteral("G7"));
        const QJsonObject payment = startPayment(cart, token);
        runOutOfTime();
        const auto [other, otherToken] = heldCart(QStringLiteral("G7"));

        const auto paid = m_http->post(
            payment.value(QLatin1String("redirect")).toString(), "decision=pay", form);
        QCOMPARE(paid.status, 303);
        QCOMPARE(queryOf(paid.location, QStringLiteral("outcome")), QStringLiteral("refund"));
        QCOMPARE(queryOf(paid.location, QStringLiteral("seats")), QStringLiteral("G7"));
        const QString order = queryOf(paid.location, QStringLiteral("order"));
        // The other buyer keeps the seat; the money goes back.
        QCOMPARE(availability().value(QStringLiteral("G7")).toString(), QStringLiteral("held"));
        QTRY_COMPARE(m_http->get(orderPath(order), keyOf(paid.location))
                         .json()
                         .value(QLatin1String("payment"))
                         .toObject()
                         .value(QLatin1String("state"))
                         .toString(),
            QStringLiteral("refunded"));
        QCOMPARE(m_http->get(orderPath(order), keyOf(paid.location))
                     .json()
                     .value(QLatin1String("state"))
                     .toString(),
            QStringLiteral("void"));
    }

    void theConfirmationMailArrives()
    {
        SmtpSink sink;
        QVERIFY(sink.start());
        QTRY_VERIFY(sink.accepting());
        cleanup();
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().smtp = sink.url();
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_server->server().setTicketRenderer(&TicketPdf::render);
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());

        const auto [cart, token] = heldCart(QStringLiteral("G7"));
        const auto paid
            = m_http->post(startPayment(cart, token).value(QLatin1String("redirect")).toString(),
                "decision=pay", form);
        QCOMPARE(paid.status, 303);
        QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 1, 15000);

        const Entity mail = parseEntity(sink.messages().first());
        QVERIFY(decodeWords(mail.headers.value("to")).contains(QLatin1String("ada@example.org")));
        QVERIFY(decodeWords(mail.headers.value("subject")).contains(QLatin1String("Breakfast")));
        QByteArray text;
        QByteArray pdf;
        for (const Entity &part : leaves(mail)) {
            const QByteArray type = part.headers.value("content-type");
            if (type.startsWith("text/plain"))
                text = decodedBody(part);
            if (type.startsWith("application/pdf"))
                pdf = decodedBody(part);
        }
        // The private link in the mail opens the order, as the page's does.
        const QString link
            = QStringLiteral("http://127.0.0.1:%1/order.html?order=%2#key=%3")
                  .arg(QString::number(m_server->httpUrl().port()),
                      queryOf(paid.location, QStringLiteral("order")), keyOf(paid.location));
        QVERIFY2(text.contains(link.toUtf8()), qPrintable(link + u'\n' + QString::fromUtf8(text)));
        QVERIFY(text.contains("G7"));
        QVERIFY(pdf.startsWith("%PDF-"));
    }

private:
    std::pair<QString, QString> heldCart(const QString &seat)
    {
        return m_http->heldCart(QStringLiteral("breakfast-ii"), {seat});
    }

    QJsonObject startPayment(const QString &cart, const QString &token)
    {
        const auto started = m_http->post(checkoutPath(cart), buyer, token);
        if (started.status != 201)
            qWarning("checkout: %d %s", started.status, started.body.constData());
        return started.json().value(QLatin1String("payment")).toObject();
    }

    /// The payment window and the hold both end; the timer releases the seat.
    void runOutOfTime()
    {
        m_server->clock().advance(901'000);
        m_server->server().expiry().releaseDue();
        QTRY_COMPARE(
            availability().value(QStringLiteral("G7")).toString(), QStringLiteral("available"));
    }

    QDateTime holdEnds(const QString &cart)
    {
        return m_server->server().storage().runBlocking<QDateTime>([cart](StorageSession &s) {
            return Sql::time(Sql::scalar(s.db,
                QStringLiteral("SELECT MAX(expires_at) FROM holds WHERE cart_id = ?"), {cart}));
        });
    }

    QJsonObject availability()
    {
        return m_http->get(QStringLiteral("/api/v1/events/breakfast-ii/availability"))
            .json()
            .value(QLatin1String("seats"))
            .toObject();
    }

    QString paymentState(const QString &payment)
    {
        return m_server->server().storage().runBlocking<QString>([payment](StorageSession &s) {
            return Sql::scalar(
                s.db, QStringLiteral("SELECT state FROM payments WHERE id = ?"), {payment})
                .toString();
        });
    }

    QByteArray report(const QString &id, const QString &payment, qint64 amount)
    {
        return QJsonDocument(
            QJsonObject{{QStringLiteral("id"), id},
                {QStringLiteral("type"), QStringLiteral("payment.succeeded")},
                {QStringLiteral("payment"), payment}, {QStringLiteral("amount"), amount},
                {QStringLiteral("currency"), QStringLiteral("EUR")},
                {QStringLiteral("reference"), QString(QStringLiteral("psp-") + id)}})
            .toJson(QJsonDocument::Compact);
    }

    QByteArray signature(const QByteArray &body, const QDateTime &at)
    {
        const QByteArray secret = m_server->server().storage().runBlocking<QByteArray>(
            [](StorageSession &s) {
                return ServerSecrets::obtain(s.db, s.clock, PaymentSetup::testProviderSecretName());
            });
        return WebhookSignature(secret).sign(body, at);
    }

    HttpClient::Response deliver(const QByteArray &body, const QByteArray &signature)
    {
        HttpClient::Headers headers;
        if (!signature.isEmpty())
            headers.append({"Marquee-Signature", signature});
        return m_http->post(QStringLiteral("/api/v1/payments/webhooks/test"), body, headers);
    }

    static QString checkoutPath(const QString &cart)
    {
        return QStringLiteral("/api/v1/carts/%1/checkout").arg(cart);
    }
    static QString orderPath(const QString &order)
    {
        return QStringLiteral("/api/v1/orders/%1").arg(order);
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
};

QTEST_MAIN(TestOnlinePayment)
#include "tst_onlinepayment.moc"
