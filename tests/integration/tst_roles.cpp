// Roles as the server enforces them, over real HTTP, one forbidden action at
// a time: what a clerk, a manager, an admin, the payment provider and a
// scanner may not do, and the admin's user and credential management.
#include "HttpClient.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

class TestRoles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void init()
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        m_server->options().clerkRefundLimit = 4000; // one 30.00 seat (rear stalls), not two
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
        m_clerk = m_server->issueToken(Role::Clerk);
        m_manager = m_server->issueToken(Role::Manager);
        m_admin = m_server->issueToken(Role::Admin);
    }

    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void clerkRefundsUpToTheLimitOnly()
    {
        const QString small = sell({QStringLiteral("H1")}); // 30.00
        const QString large = sell({QStringLiteral("H2"), QStringLiteral("H3")}); // 60.00
        const auto refused = m_http->post(refundPath(large), QByteArray(), m_clerk);
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.json().value(QLatin1String("limit")).toInt(), 4000);
        QCOMPARE(orderState(large), QStringLiteral("paid")); // nothing changed
        QCOMPARE(m_http->post(refundPath(small), QByteArray(), m_clerk).status, 200);
        QCOMPARE(m_http->post(refundPath(large), QByteArray(), m_manager).status, 200);
    }

    void managerOnlyActions()
    {
        const auto [cart, token] = m_http->newCart();
        QCOMPARE(
            m_http->holdSeats(cart, token, QStringLiteral("breakfast-ii"), {QStringLiteral("H4")})
                .status,
            201);
        const auto checkout = m_http->post(QStringLiteral("/api/v1/carts/%1/checkout").arg(cart),
            QByteArrayLiteral(R"({"name":"Ada Lovelace","email":"ada@example.org"})"), token);
        const QString order = checkout.json().value(QLatin1String("order")).toString();
        const QString voidPath = QStringLiteral("/api/v1/orders/%1/void").arg(order);
        QCOMPARE(m_http->post(voidPath, QByteArray(), m_clerk).status, 403);
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/audit"), m_clerk).status, 403);
        QCOMPARE(m_http->post(voidPath, QByteArray(), m_manager).status, 200);
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/audit"), m_manager).status, 200);
    }

    void onlyAdminsManageUsersAndCredentials()
    {
        const QJsonObject user{{QStringLiteral("name"), QStringLiteral("bea")},
            {QStringLiteral("password"), QStringLiteral("bea's password")},
            {QStringLiteral("role"), QStringLiteral("clerk")}};
        const QJsonObject credential{{QStringLiteral("name"), QStringLiteral("door-1")},
            {QStringLiteral("purpose"), QStringLiteral("scanner")}};
        for (const QString &token : {m_clerk, m_manager}) {
            QCOMPARE(m_http->get(QStringLiteral("/api/v1/users"), token).status, 403);
            QCOMPARE(m_http->post(QStringLiteral("/api/v1/users"), user, token).status, 403);
            QCOMPARE(m_http
                         ->patch(QStringLiteral("/api/v1/users/bea"),
                             {{QStringLiteral("role"), QStringLiteral("admin")}}, token)
                         .status,
                403);
            QCOMPARE(m_http->get(QStringLiteral("/api/v1/credentials"), token).status, 403);
            QCOMPARE(
                m_http->post(QStringLiteral("/api/v1/credentials"), credential, token).status, 403);
        }
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/users")).status, 401);
        QCOMPARE(m_http->post(QStringLiteral("/api/v1/users"), user, m_admin).status, 201);
        QCOMPARE(m_http->post(QStringLiteral("/api/v1/users"), user, m_admin).status, 409);
        QVERIFY(!m_http->signIn(QStringLiteral("bea"), QStringLiteral("bea's password")).isEmpty());
    }

    void machineCredentialsDoTheirOneJob()
    {
        const QString provider = m_server->issueCredential(Credentials::Purpose::Payments);
        const QString scanner = m_server->issueCredential(Credentials::Purpose::Scanner);
        const QString order = sell({QStringLiteral("H5")});
        for (const QString &machine : {provider, scanner}) {
            QCOMPARE(sellWith(machine, QStringLiteral("H6")), 403);
            QCOMPARE(m_http->post(refundPath(order), QByteArray(), machine).status, 403);
            QCOMPARE(m_http->get(QStringLiteral("/api/v1/audit"), machine).status, 403);
            QCOMPARE(m_http->get(QStringLiteral("/api/v1/users"), machine).status, 403);
            // Seeing an order is staff business (or the cart's owner's).
            QCOMPARE(
                m_http->get(QStringLiteral("/api/v1/orders/%1").arg(order), machine).status, 401);
        }
        QCOMPARE(orderState(order), QStringLiteral("paid"));
    }

    void credentialsAreListedRevokedAndExpire()
    {
        const auto issued = m_http->post(QStringLiteral("/api/v1/credentials"),
            QJsonObject{{QStringLiteral("name"), QStringLiteral("psp")},
                {QStringLiteral("purpose"), QStringLiteral("payments")},
                {QStringLiteral("days"), 7}},
            m_admin);
        QCOMPARE(issued.status, 201);
        const QString token = issued.json().value(QLatin1String("token")).toString();
        const QString id = issued.json().value(QLatin1String("id")).toString();
        QCOMPARE(token.size(), 43);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/credentials"),
                         QJsonObject{{QStringLiteral("name"), QStringLiteral("psp")},
                             {QStringLiteral("purpose"), QStringLiteral("payments")}},
                         m_admin)
                     .status,
            409); // one live credential per name

        const auto listed = m_http->get(QStringLiteral("/api/v1/credentials"), m_admin);
        QCOMPARE(listed.status, 200);
        QVERIFY(!listed.body.contains(token.toUtf8())); // shown once, never listed
        const QJsonObject entry
            = listed.json().value(QLatin1String("credentials")).toArray().first().toObject();
        QCOMPARE(entry.value(QLatin1String("name")).toString(), QStringLiteral("psp"));
        QVERIFY(entry.value(QLatin1String("live")).toBool());

        QCOMPARE(confirmWith(token), 200);
        QCOMPARE(
            m_http->del(QStringLiteral("/api/v1/credentials/%1").arg(id), m_admin).status, 204);
        QCOMPARE(confirmWith(token), 401);
        QCOMPARE(
            m_http->del(QStringLiteral("/api/v1/credentials/%1").arg(id), m_admin).status, 404);

        // Another one, left to run out: 7 days and a second later it is refused.
        const QString expiring
            = m_http
                  ->post(QStringLiteral("/api/v1/credentials"),
                      QJsonObject{{QStringLiteral("name"), QStringLiteral("psp")},
                          {QStringLiteral("purpose"), QStringLiteral("payments")},
                          {QStringLiteral("days"), 7}},
                      m_admin)
                  .json()
                  .value(QLatin1String("token"))
                  .toString();
        QCOMPARE(confirmWith(expiring), 200);
        m_server->clock().advance(7LL * 24 * 3600 * 1000 + 1000);
        QCOMPARE(confirmWith(expiring), 401);
    }

    void disablingAUserEndsTheirSessions()
    {
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/users"),
                         QJsonObject{{QStringLiteral("name"), QStringLiteral("cem")},
                             {QStringLiteral("password"), QStringLiteral("first password")},
                             {QStringLiteral("role"), QStringLiteral("clerk")}},
                         m_admin)
                     .status,
            201);
        const QString session
            = m_http->signIn(QStringLiteral("cem"), QStringLiteral("first password"));
        QCOMPARE(sellWith(session, QStringLiteral("I1")), 201);

        // A new role applies to the live session at once.
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/audit"), session).status, 403);
        QCOMPARE(
            patchUser(QStringLiteral("cem"), {{QStringLiteral("role"), QStringLiteral("manager")}}),
            200);
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/audit"), session).status, 200);

        QCOMPARE(patchUser(QStringLiteral("cem"), {{QStringLiteral("disabled"), true}}), 200);
        QCOMPARE(sellWith(session, QStringLiteral("I2")), 401);
        QVERIFY(m_http->signIn(QStringLiteral("cem"), QStringLiteral("first password")).isEmpty());

        // Enabled again with a new password: the old one no longer works.
        QCOMPARE(patchUser(QStringLiteral("cem"),
                     {{QStringLiteral("disabled"), false},
                         {QStringLiteral("password"), QStringLiteral("second password")}}),
            200);
        QVERIFY(m_http->signIn(QStringLiteral("cem"), QStringLiteral("first password")).isEmpty());
        const QString again
            = m_http->signIn(QStringLiteral("cem"), QStringLiteral("second password"));
        QCOMPARE(sellWith(again, QStringLiteral("I3")), 201);
        QCOMPARE(patchUser(QStringLiteral("nobody"), {{QStringLiteral("disabled"), true}}), 404);
        QCOMPARE(
            patchUser(QStringLiteral("cem"), {{QStringLiteral("role"), QStringLiteral("king")}}),
            400);
    }

    void theLastAdminStays()
    {
        // Every admin but the one this test signed in as steps down ...
        const auto users = m_http->get(QStringLiteral("/api/v1/users"), m_admin).json();
        QStringList admins;
        for (const QJsonValue &user : users.value(QLatin1String("users")).toArray()) {
            if (user.toObject().value(QLatin1String("role")).toString() == QLatin1String("admin"))
                admins.append(user.toObject().value(QLatin1String("name")).toString());
        }
        QVERIFY(admins.size() >= 2); // the demo's and this test's
        const QString last = admins.takeLast(); // listed by name: this test's, "test-admin-…"
        for (const QString &admin : std::as_const(admins))
            QCOMPARE(patchUser(admin, {{QStringLiteral("role"), QStringLiteral("manager")}}), 200);
        // ... and the last one can neither step down nor be disabled.
        QCOMPARE(patchUser(last, {{QStringLiteral("role"), QStringLiteral("clerk")}}), 409);
        QCOMPARE(patchUser(last, {{QStringLiteral("disabled"), true}}), 409);
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/users"), m_admin).status, 200);
    }

private:
    QString refundPath(const QString &order) const
    {
        return QStringLiteral("/api/v1/orders/%1/refund").arg(order);
    }

    int patchUser(const QString &name, const QJsonObject &change)
    {
        return m_http->patch(QStringLiteral("/api/v1/users/%1").arg(name), change, m_admin).status;
    }

    /// Holds \a seats and sells them at the counter as the clerk: the order.
    QString sell(const QStringList &seats)
    {
        const auto [cart, token] = m_http->newCart();
        if (m_http->holdSeats(cart, token, QStringLiteral("breakfast-ii"), seats).status != 201)
            return {};
        return m_http->sellCash(cart, m_clerk).json().value(QLatin1String("order")).toString();
    }

    int sellWith(const QString &staff, const QString &seat)
    {
        const auto [cart, token] = m_http->newCart();
        m_http->holdSeats(cart, token, QStringLiteral("breakfast-ii"), {seat});
        return m_http->sellCash(cart, staff).status;
    }

    QString orderState(const QString &order)
    {
        return m_http->get(QStringLiteral("/api/v1/orders/%1").arg(order), m_manager)
            .json()
            .value(QLatin1String("state"))
            .toString();
    }

    /// Starts an online payment for a fresh seat and reports it paid with
    /// \a provider: the status of that report.
    int confirmWith(const QString &provider)
    {
        const auto [cart, token] = m_http->newCart();
        const QString seat = QStringLiteral("G%1").arg(++m_seat);
        m_http->holdSeats(cart, token, QStringLiteral("breakfast-ii"), {seat});
        const QJsonObject payment
            = m_http
                  ->post(QStringLiteral("/api/v1/carts/%1/checkout").arg(cart),
                      QByteArrayLiteral(R"({"name":"Ada Lovelace","email":"ada@example.org"})"),
                      token)
                  .json()
                  .value(QLatin1String("payment"))
                  .toObject();
        return m_http
            ->post(QStringLiteral("/api/v1/payments/%1/confirm")
                       .arg(payment.value(QLatin1String("id")).toString()),
                QJsonObject{{QStringLiteral("key"), QString(QStringLiteral("k-") + seat)},
                    {QStringLiteral("amount"), payment.value(QLatin1String("amount"))},
                    {QStringLiteral("reference"), QString(QStringLiteral("psp-") + seat)}},
                provider)
            .status;
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
    QString m_clerk;
    QString m_manager;
    QString m_admin;
    int m_seat = 0;
};

QTEST_GUILESS_MAIN(TestRoles)
#include "tst_roles.moc"
