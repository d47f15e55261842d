// Money going back: a clerk's refund of an online order and a payment that
// came too late both leave the payment refund_due, and PendingRefunds asks
// its provider. A provider that refuses, or answers slowly, or a server that
// stops before the answer: the payment stays refund_due until a later round
// asks again, and no round asks twice at once.
#include "HoldExpiry.h"
#include "HttpClient.h"
#include "PaymentConfirmation.h"
#include "PaymentSetup.h"
#include "PendingRefunds.h"
#include "ServerSecrets.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"
#include "TestProvider.h"
#include "TestServer.h"
#include "WebhookSignature.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

namespace {

const QByteArray buyer = QByteArrayLiteral(R"({"name":"Ada Lovelace","email":"ada@example.org"})");

/// A provider whose refunds the test answers: each ask waits in \a asked
/// until the test accepts or refuses it, as a provider's slow API would.
/// Reports are signed as the test provider's are.
class SlowProvider : public TestProvider
{
public:
    struct Ask
    {
        QString payment;
        qint64 amount = 0;
        std::function<void(bool)> answer;
    };

    SlowProvider(QByteArray secret, QList<Ask> &asked, PaymentRequest *begun = nullptr)
        : TestProvider(std::move(secret))
        , m_asked(asked)
        , m_begun(begun)
    {
    }

    void begin(const PaymentRequest &request,
        std::function<void(std::optional<QString>)> done) const override
    {
        if (m_begun)
            *m_begun = request;
        TestProvider::begin(request, std::move(done));
    }

    QString name() const override { return QStringLiteral("slow"); }
    void refund(const QString &payment, qint64 amount, const QString &,
        std::function<void(bool)> done) const override
    {
        m_asked.append({payment, amount, std::move(done)});
    }

private:
    QList<Ask> &m_asked;
    PaymentRequest *m_begun;
};

} // namespace

class TestRefunds : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void init()
    {
        m_asked.clear();
        startServer(m_databases.fresh());
    }

    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void aClerksRefundGivesTheMoneyBackThroughTheProvider()
    {
        const QString order = paidOnTheTestPage(QStringLiteral("G7"));
        const auto refunded = refund(order);
        QCOMPARE(refunded.status, 200);
        QCOMPARE(
            refunded.json().value(QLatin1String("state")).toString(), QStringLiteral("refunded"));
        // The test provider accepts at once; the payment is refunded then,
        // with the provider named in the audit log.
        QTRY_COMPARE(paymentOf(order).value(0).toString(), QStringLiteral("refunded"));
        QCOMPARE(audited(paymentOf(order).value(1).toString()), QStringLiteral("provider:test"));
        QCOMPARE(availability(QStringLiteral("G7")), QStringLiteral("available"));
    }

    void aRefusedRefundIsAskedForAgainLater()
    {
        useSlowProvider();
        const auto [order, payment] = paidThroughTheSlowProvider(QStringLiteral("G7"));
        QCOMPARE(refund(order).status, 200);
        QTRY_COMPARE(m_asked.size(), 1);
        QCOMPARE(m_asked.first().payment, payment);
        QCOMPARE(m_asked.first().amount, qint64(3000));

        // While the provider thinks, another round does not ask again.
        QCOMPARE(round(), 0);
        QCOMPARE(m_asked.size(), 1);
        m_asked.first().answer(false);
        QCOMPARE(paymentOf(order).value(0).toString(), QStringLiteral("refund_due"));
        // Nor right after a refusal: the claim lasts RetrySeconds.
        QCOMPARE(round(), 0);
        QCOMPARE(m_asked.size(), 1);

        m_server->clock().advance((PendingRefunds::RetrySeconds + 1) * 1000);
        m_server->server().refunds().runOnce();
        QTRY_COMPARE(m_asked.size(), 2);
        QCOMPARE(m_asked.last().payment, payment);
        m_asked.last().answer(true);
        QTRY_COMPARE(paymentOf(order).value(0).toString(), QStringLiteral("refunded"));
        QCOMPARE(audited(payment), QStringLiteral("provider:slow"));
    }

    void aLatePaymentForTakenSeatsWaitsForItsRefund()
    {
        useSlowProvider();
        const auto [cart, token] = heldCart(QStringLiteral("G7"));
        const QString payment = startPayment(cart, token);
        m_server->clock().advance(901'000);
        m_server->server().expiry().releaseDue();
        QTRY_COMPARE(availability(QStringLiteral("G7")), QStringLiteral("available"));
        heldCart(QStringLiteral("G7"));

        const auto late = report(payment, QStringLiteral("evt_late"));
        QCOMPARE(late.json().value(QLatin1String("result")).toString(), QStringLiteral("refund"));
        QTRY_COMPARE(m_asked.size(), 1);
        QCOMPARE(m_asked.first().payment, payment);
        m_asked.first().answer(true);
        QTRY_COMPARE(paymentState(payment), QStringLiteral("refunded"));
    }

    void aPaymentLongAfterItsWindowTakesNothingAgain_data()
    {
        QTest::addColumn<bool>("eventBegun");
        QTest::newRow("past the grace") << false;
        QTest::newRow("the event has begun") << true;
    }

    void aPaymentLongAfterItsWindowTakesNothingAgain()
    {
        QFETCH(bool, eventBegun);
        useSlowProvider();
        const auto [cart, token] = heldCart(QStringLiteral("G7"));
        const QString payment = startPayment(cart, token);
        // The hold (15 min) and the payment window (10 min) run out; the
        // seat is free again, and stays free for the late report to take.
        qint64 late = 901;
        if (eventBegun)
            startEventAt(m_server->clock().now().addSecs(late - 1));
        else
            late = 600 + PaymentConfirmation::LateGraceSeconds + 1;
        m_server->clock().advance(late * 1000);
        m_server->server().expiry().releaseDue();
        QTRY_COMPARE(availability(QStringLiteral("G7")), QStringLiteral("available"));

        const auto answer = report(payment, QStringLiteral("evt_late"));
        QCOMPARE(answer.json().value(QLatin1String("result")).toString(), QStringLiteral("refund"));
        QCOMPARE(
            answer.json().value(QLatin1String("reason")).toString(), QStringLiteral("too_late"));
        QCOMPARE(availability(QStringLiteral("G7")), QStringLiteral("available"));
        QTRY_COMPARE(m_asked.size(), 1);
        m_asked.first().answer(true);
        QTRY_COMPARE(paymentState(payment), QStringLiteral("refunded"));
    }

    void aRefundLeftDueWhenTheServerStoppedIsAskedForAtTheNextStart()
    {
        const QString order = paidOnTheTestPage(QStringLiteral("G7"));
        const QString payment = paymentOf(order).value(1).toString();
        // As if the server stopped after the refund's commit, before the
        // provider's answer: the order refunded, the payment still due.
        QCOMPARE(refund(order).status, 200);
        QTRY_COMPARE(paymentState(payment), QStringLiteral("refunded"));
        markDue({payment});
        const DatabaseConfig database = m_server->database();
        cleanup();
        startServer(database);
        QTRY_COMPARE(paymentState(payment), QStringLiteral("refunded"));
    }

    void twoServersAskForEachRefundOnce()
    {
        useSlowProvider();
        QStringList payments;
        for (const QString &seat :
            {QStringLiteral("G7"), QStringLiteral("G8"), QStringLiteral("H8")})
            payments.append(paidThroughTheSlowProvider(seat).second);
        markDue(payments);
        // The second server does not have the slow provider when it starts:
        // its first round leaves those payments to a server that has.
        TestServer second(m_server->database());
        QVERIFY2(second.start(), qPrintable(second.error()));
        QCOMPARE(roundOn(second.server()), 0);
        PaymentProviders &providers = second.server().payments().providers();
        providers.add(std::make_unique<SlowProvider>(secret(), m_asked));

        std::optional<int> first;
        std::optional<int> other;
        m_server->server().refunds().runOnce([&first](int n) { first = n; });
        second.server().refunds().runOnce([&other](int n) { other = n; });
        QTRY_COMPARE(m_asked.size(), payments.size());
        QStringList asked;
        for (SlowProvider::Ask &ask : m_asked) {
            asked.append(ask.payment);
            ask.answer(true);
        }
        // A round is done when its provider answered every ask.
        QTRY_VERIFY(first && other);
        QCOMPARE(*first + *other, int(payments.size()));
        asked.sort();
        payments.sort();
        QCOMPARE(asked, payments);
        for (const QString &payment : std::as_const(payments))
            QCOMPARE(paymentState(payment), QStringLiteral("refunded"));
        QCOMPARE(m_asked.size(), payments.size());
    }

    void theProviderIsNotToldTheOrderLinksKey()
    {
        PaymentRequest begun;
        PaymentProviders &providers = m_server->server().payments().providers();
        providers.add(std::make_unique<SlowProvider>(secret(), m_asked, &begun));
        QVERIFY(providers.makeCurrent(QStringLiteral("slow")));
        const auto [cart, token] = heldCart(QStringLiteral("G7"));
        const QString payment = startPayment(cart, token);
        QCOMPARE(begun.payment, payment);
        // Absolute URLs of this server, for a provider elsewhere.
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(m_server->httpUrl().port());
        QCOMPARE(begun.successUrl, base + QStringLiteral("/order.html?order=") + begun.order);
        QCOMPARE(begun.cancelUrl, base + QStringLiteral("/?payment=declined"));

        // The buyer's browser comes back with the cart's token only; the
        // order answers with its link, key and all.
        QCOMPARE(report(payment, QStringLiteral("evt_paid")).status, 200);
        const auto shown = m_http->get(QStringLiteral("/api/v1/orders/") + begun.order, token);
        QCOMPARE(shown.status, 200);
        const QString link = shown.json().value(QLatin1String("link")).toString();
        QVERIFY2(link.startsWith(QStringLiteral("/order.html?order=") + begun.order + u'#'),
            qPrintable(link));
        const QString key = link.mid(link.indexOf(QLatin1String("#key=")) + 5);
        QVERIFY(!begun.successUrl.contains(key));
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/orders/") + begun.order, key).status, 200);
    }

    void aCashSaleRefundAsksNoProvider()
    {
        useSlowProvider();
        const auto [cart, token] = heldCart(QStringLiteral("G7"));
        const auto sold = m_http->sellCash(cart, m_server->staffToken());
        QCOMPARE(sold.status, 201);
        const QString order = sold.json().value(QLatin1String("order")).toString();
        QCOMPARE(refund(order).status, 200);
        QCOMPARE(round(), 0);
        QVERIFY(m_asked.isEmpty());
    }

private:
    void startServer(const DatabaseConfig &database)
    {
        m_server = std::make_unique<TestServer>(database);
        m_server->options().paymentSeconds = 600;
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
    }

    QByteArray secret()
    {
        return m_server->server().storage().runBlocking<QByteArray>([](StorageSession &s) {
            return ServerSecrets::obtain(s.db, s.clock, PaymentSetup::testProviderSecretName());
        });
    }

    void useSlowProvider()
    {
        PaymentProviders &providers = m_server->server().payments().providers();
        providers.add(std::make_unique<SlowProvider>(secret(), m_asked));
        QVERIFY(providers.makeCurrent(QStringLiteral("slow")));
    }

    std::pair<QString, QString> heldCart(const QString &seat)
    {
        return m_http->heldCart(QStringLiteral("breakfast-ii"), {seat});
    }

    /// The payment's id.
    QString startPayment(const QString &cart, const QString &token)
    {
        return startedPayment(cart, token).value(QLatin1String("id")).toString();
    }

    QJsonObject startedPayment(const QString &cart, const QString &token)
    {
        const auto started
            = m_http->post(QStringLiteral("/api/v1/carts/%1/checkout").arg(cart), buyer, token);
        if (started.status != 201)
            qWarning("checkout: %d %s", started.status, started.body.constData());
        return started.json().value(QLatin1String("payment")).toObject();
    }

    /// The order a buyer paid with the test provider's Pay button.
    QString paidOnTheTestPage(const QString &seat)
    {
        const auto [cart, token] = heldCart(seat);
        const auto paid = m_http->post(
            startedPayment(cart, token).value(QLatin1String("redirect")).toString(), "decision=pay",
            HttpClient::Headers{{"Content-Type", "application/x-www-form-urlencoded"}});
        const QByteArray path = paid.location.left(paid.location.indexOf('#'));
        return QUrlQuery(QUrl(QString::fromLatin1(path)).query())
            .queryItemValue(QStringLiteral("order"));
    }

    /// Order and payment of a purchase the slow provider reported paid.
    std::pair<QString, QString> paidThroughTheSlowProvider(const QString &seat)
    {
        const auto [cart, token] = heldCart(seat);
        const QString payment = startPayment(cart, token);
        const auto paid = report(payment, QStringLiteral("evt_paid"));
        if (paid.json().value(QLatin1String("result")).toString() != QLatin1String("paid"))
            qWarning("report: %d %s", paid.status, paid.body.constData());
        return {paid.json().value(QLatin1String("order")).toString(), payment};
    }

    /// The slow provider's signed report that \a payment succeeded.
    HttpClient::Response report(const QString &payment, const QString &event)
    {
        const QByteArray body = QJsonDocument(
            QJsonObject{{QStringLiteral("id"), event},
                {QStringLiteral("type"), QStringLiteral("payment.succeeded")},
                {QStringLiteral("payment"), payment}, {QStringLiteral("amount"), 3000},
                {QStringLiteral("currency"), QStringLiteral("EUR")},
                {QStringLiteral("reference"), QString(QStringLiteral("psp-") + event)}})
                                    .toJson(QJsonDocument::Compact);
        return m_http->post(QStringLiteral("/api/v1/payments/webhooks/slow"), body,
            HttpClient::Headers{{"Marquee-Signature",
                WebhookSignature(secret()).sign(body, m_server->clock().now())}});
    }

    HttpClient::Response refund(const QString &order)
    {
        return m_http->post(QStringLiteral("/api/v1/orders/%1/refund").arg(order), QByteArray(),
            m_server->staffToken());
    }

    /// As if the server had stopped after \a payments became refund_due,
    /// before any provider was asked.
    void markDue(const QStringList &payments)
    {
        m_server->server().storage().runBlocking<bool>([payments](StorageSession &s) {
            for (const QString &payment : payments)
                Sql::exec(s.db,
                    QStringLiteral("UPDATE payments SET state = 'refund_due',"
                                   " refund_asked_at = NULL WHERE id = ?"),
                    {payment});
            return true;
        });
    }

    void startEventAt(const QDateTime &at)
    {
        m_server->server().storage().runBlocking<bool>([at](StorageSession &s) {
            Sql::exec(s.db,
                QStringLiteral("UPDATE events SET starts_at = ? WHERE slug = 'breakfast-ii'"),
                {isoUtc(at)});
            return true;
        });
    }

    /// One round of PendingRefunds, waited for: how many it refunded.
    int round() { return roundOn(m_server->server()); }

    static int roundOn(MarqueeServer &server)
    {
        std::optional<int> refunded;
        server.refunds().runOnce([&refunded](int n) { refunded = n; });
        if (!QTest::qWaitFor([&refunded] { return refunded.has_value(); }))
            return -1;
        return *refunded;
    }

    /// The state and id of the order's payment.
    QVariantList paymentOf(const QString &order)
    {
        return m_server->server().storage().runBlocking<QVariantList>([order](StorageSession &s) {
            Sql::Rows rows = Sql::exec(
                s.db, QStringLiteral("SELECT state, id FROM payments WHERE order_id = ?"), {order});
            return rows.next() ? QVariantList{rows.value(0), rows.value(1)} : QVariantList{};
        });
    }

    QString paymentState(const QString &payment)
    {
        return m_server->server().storage().runBlocking<QString>([payment](StorageSession &s) {
            return Sql::scalar(
                s.db, QStringLiteral("SELECT state FROM payments WHERE id = ?"), {payment})
                .toString();
        });
    }

    /// Who the audit log says refunded \a payment.
    QString audited(const QString &payment)
    {
        return m_server->server().storage().runBlocking<QString>([payment](StorageSession &s) {
            return Sql::scalar(s.db,
                QStringLiteral("SELECT actor FROM audit_log WHERE action = 'payment.refund'"
                               " AND subject = ?"),
                {payment})
                .toString();
        });
    }

    QString availability(const QString &seat)
    {
        return m_http->seatState(QStringLiteral("breakfast-ii"), seat);
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
    QList<SlowProvider::Ask> m_asked;
};

QTEST_MAIN(TestRefunds)
#include "tst_refunds.moc"
