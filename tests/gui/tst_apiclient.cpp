// The counter app's API client against a real server, through a proxy that
// loses the answer to the first cash sale: the app must find the sale it
// made (same idempotency key), not report a failure while the database says
// paid — the clerk would hand the cash back.
#include "AnswerLosingProxy.h"
#include "HttpClient.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"
#include "TestServer.h"
#include "net/ApiClient.h"

#include <QJsonArray>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

class TestApiClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void lostSaleAnswerIsFoundNotReported()
    {
        TestServer server(m_databases.fresh());
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.httpUrl());
        const auto [cart, token] = http.newCart();
        const auto held = http.holdSeats(cart, token, QStringLiteral("breakfast-ii"),
            {QStringLiteral("F7"), QStringLiteral("F8")});
        QCOMPARE(held.status, 201);

        ApiClient api;
        signIn(api, server);
        QVERIFY(api.hasStaffToken());
        AnswerLosingProxy proxy(
            server.server().port(), 2, QByteArrayLiteral("POST /api/v1/counter/sales"));
        api.setServer(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(proxy.port())));
        std::optional<ApiResult<SaleReceipt>> result;
        api.sellCash(Cart{cart, token}, {held.json().value(QLatin1String("hold")).toString()}, this,
            [&result](const ApiResult<SaleReceipt> &answer) { result = answer; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
        QCOMPARE(proxy.lost(), 2);
        QVERIFY2(result->ok(), qPrintable(result->error.message));
        QCOMPARE(result->value->tickets, 2);
        checkOneSale(server, http, result->value->order);
    }

    void pressingSellAgainFindsTheSale()
    {
        TestServer server(m_databases.fresh());
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.httpUrl());
        const auto [cart, token] = http.newCart();
        const auto held
            = http.holdSeats(cart, token, QStringLiteral("breakfast-ii"), {QStringLiteral("F9")});
        QCOMPARE(held.status, 201);
        const QStringList holds{held.json().value(QLatin1String("hold")).toString()};

        // The network is away for longer than the app's retries: the clerk
        // is told so, though the sale went through at the first attempt.
        ApiClient api;
        signIn(api, server);
        QVERIFY(api.hasStaffToken());
        AnswerLosingProxy proxy(server.server().port(), 2 * ApiClient::SaleAttempts,
            QByteArrayLiteral("POST /api/v1/counter/sales"));
        api.setServer(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(proxy.port())));
        std::optional<ApiResult<SaleReceipt>> first;
        api.sellCash(Cart{cart, token}, holds, this,
            [&first](const ApiResult<SaleReceipt> &answer) { first = answer; });
        QTRY_VERIFY_WITH_TIMEOUT(first.has_value(), 15000);
        QVERIFY(!first->ok());
        // The clerk presses Sell again: the same sale, found.
        std::optional<ApiResult<SaleReceipt>> second;
        api.sellCash(Cart{cart, token}, holds, this,
            [&second](const ApiResult<SaleReceipt> &answer) { second = answer; });
        QTRY_VERIFY_WITH_TIMEOUT(second.has_value(), 15000);
        QVERIFY2(second->ok(), qPrintable(second->error.message));
        checkOneSale(server, http, second->value->order);
    }

private:
    /// Signs \a api in as a clerk, straight to the server (not through a
    /// proxy that loses answers).
    void signIn(ApiClient &api, TestServer &server)
    {
        server.addUser(QStringLiteral("eve"), QStringLiteral("eve's password"), Role::Clerk);
        api.setServer(server.httpUrl());
        std::optional<ApiResult<StaffSession>> result;
        api.signIn(QStringLiteral("eve"), QStringLiteral("eve's password"), this,
            [&result](const ApiResult<StaffSession> &answer) { result = answer; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
        QVERIFY2(result->ok(), qPrintable(result->error.message));
    }

    static void checkOneSale(TestServer &server, HttpClient &http, const QString &orderId)
    {
        // One sale, and it is the one the clerk was told about.
        const auto order
            = http.get(QStringLiteral("/api/v1/orders/%1").arg(orderId), server.staffToken());
        QCOMPARE(order.status, 200);
        QCOMPARE(order.json().value(QLatin1String("state")).toString(), QStringLiteral("paid"));
        const int orders = server.server().storage().runBlocking<int>([](StorageSession &s) {
            return Sql::scalar(s.db, QStringLiteral("SELECT COUNT(*) FROM orders")).toInt();
        });
        QCOMPARE(orders, 1);
    }

    TestDatabases m_databases;
};

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
