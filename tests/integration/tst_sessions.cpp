// Staff sign-in over real HTTP: the contract's POST/DELETE /api/v1/session,
// the same 401 for a wrong name and a wrong password, idle and absolute
// timeouts on the test's clock, and the ban after repeated failures.
#include "HttpClient.h"
#include "Passwords.h"
#include "Storage.h"
#include "TestDatabases.h"
#include "TestServer.h"
#include "Users.h"

#include <QJsonArray>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

class TestSessions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void init()
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
        const QString hash = Passwords::hash(QStringLiteral("clerk password"));
        m_server->server().storage().runBlocking<bool>([hash](StorageSession &s) {
            return Users(s.db, s.clock).save(QStringLiteral("anna"), hash, Role::Clerk);
        });
    }

    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void signInSellSignOut()
    {
        const auto session = signIn(QStringLiteral("anna"), QStringLiteral("clerk password"));
        QCOMPARE(session.status, 201);
        const QJsonObject body = session.json();
        const QString token = body.value(QLatin1String("token")).toString();
        QCOMPARE(token.size(), 43); // 256 bits, base64url
        QCOMPARE(body.value(QLatin1String("user")).toString(), QStringLiteral("anna"));
        QCOMPARE(body.value(QLatin1String("role")).toString(), QStringLiteral("clerk"));
        QCOMPARE(
            QDateTime::fromString(body.value(QLatin1String("expiresAt")).toString(), Qt::ISODate),
            QDateTime::fromString(isoUtc(m_server->clock().now().addSecs(12 * 3600)), Qt::ISODate));
        QCOMPARE(sell(token), 201); // a session works where a staff token does

        QCOMPARE(m_http->del(QStringLiteral("/api/v1/session"), token).status, 204);
        QCOMPARE(sell(token), 401);
        QCOMPARE(m_http->del(QStringLiteral("/api/v1/session"), token).status, 401);
    }

    void newPasswordEndsTheSessions()
    {
        const QString old = token(signIn(QStringLiteral("anna"), QStringLiteral("clerk password")));
        QCOMPARE(sell(old), 201);
        const QString hash = Passwords::hash(QStringLiteral("new clerk password"));
        m_server->server().storage().runBlocking<bool>([hash](StorageSession &s) {
            return Users(s.db, s.clock).save(QStringLiteral("anna"), hash, Role::Clerk);
        });
        QCOMPARE(sell(old), 401);
        QCOMPARE(signIn(QStringLiteral("anna"), QStringLiteral("clerk password")).status, 401);
        QCOMPARE(
            sell(token(signIn(QStringLiteral("anna"), QStringLiteral("new clerk password")))), 201);
    }

    void wrongNameAndWrongPasswordLookTheSame()
    {
        const auto wrongPassword = signIn(QStringLiteral("anna"), QStringLiteral("not it at all"));
        const auto unknownUser = signIn(QStringLiteral("nobody"), QStringLiteral("clerk password"));
        QCOMPARE(wrongPassword.status, 401);
        QCOMPARE(unknownUser.status, 401);
        QCOMPARE(wrongPassword.body, unknownUser.body);
        QCOMPARE(signIn(QStringLiteral("anna"), QString()).status, 401);
        QCOMPARE(m_http->post(QStringLiteral("/api/v1/session"), QByteArray("{\"user\":1}")).status,
            400);
    }

    void sessionsEndWhenIdleAndAfterTheirTime()
    {
        const QString idle
            = token(signIn(QStringLiteral("anna"), QStringLiteral("clerk password")));
        const QString busy
            = token(signIn(QStringLiteral("anna"), QStringLiteral("clerk password")));
        // Used every 20 minutes, a session lasts; unused for 30, it ends.
        for (int i = 0; i < 2; ++i) {
            m_server->clock().advance(20 * 60'000);
            QCOMPARE(sell(busy), 201);
        }
        QCOMPARE(sell(idle), 401);
        // However busy, it ends 12 hours after sign-in.
        for (int i = 0; i < 33; ++i) {
            m_server->clock().advance(20 * 60'000);
            QCOMPARE(sell(busy), 201);
        }
        m_server->clock().advance(20 * 60'000); // 12 h 20 min in all
        QCOMPARE(sell(busy), 401);
    }

    void repeatedFailuresBan()
    {
        for (int i = 0; i < 5; ++i)
            QCOMPARE(signIn(QStringLiteral("anna"), QStringLiteral("guess %1").arg(i)).status, 401);
        // Banned now, even with the right password.
        const auto banned = signIn(QStringLiteral("anna"), QStringLiteral("clerk password"));
        QCOMPARE(banned.status, 429);
        const int retryAfter = banned.json().value(QLatin1String("retryAfter")).toInt();
        QVERIFY2(retryAfter > 0 && retryAfter <= 15 * 60, qPrintable(QString::number(retryAfter)));
        m_server->clock().advance(qint64(retryAfter) * 1000);
        QCOMPARE(signIn(QStringLiteral("anna"), QStringLiteral("clerk password")).status, 201);
    }

    void oneAddressTryingManyNamesIsBanned()
    {
        for (int i = 0; i < 5; ++i)
            QCOMPARE(
                signIn(QStringLiteral("user%1").arg(i), QStringLiteral("password")).status, 401);
        QCOMPARE(signIn(QStringLiteral("anna"), QStringLiteral("clerk password")).status, 429);
    }

    void demoAccountsSignInOnce()
    {
        // The demo's first start made clerk, manager and admin; each signs
        // in with the password shown then, and gets its role.
        const auto accounts = m_server->server().demoAccounts();
        QCOMPARE(accounts.size(), 3);
        for (const DemoUsers::Account &account : accounts) {
            const auto session = signIn(account.name, account.password);
            QCOMPARE(session.status, 201);
            QCOMPARE(session.json().value(QLatin1String("role")).toString(), account.name);
        }
        // Started again on the same database: nothing new, nothing shown.
        TestServer again(m_server->database());
        QVERIFY2(again.start(), qPrintable(again.error()));
        QVERIFY(again.server().demoAccounts().isEmpty());
        QCOMPARE(signIn(accounts.first().name, accounts.first().password).status, 201);
    }

private:
    HttpClient::Response signIn(const QString &user, const QString &password)
    {
        return m_http->post(QStringLiteral("/api/v1/session"),
            QJsonObject{{QStringLiteral("user"), user}, {QStringLiteral("password"), password}});
    }

    static QString token(const HttpClient::Response &session)
    {
        return session.json().value(QLatin1String("token")).toString();
    }

    /// A one-seat cash sale with \a staffToken: its status.
    int sell(const QString &staffToken)
    {
        const auto [cart, cartToken] = m_http->newCart();
        const auto held = m_http->holdPlaces(cart, cartToken, QStringLiteral("open-air"), 1);
        if (held.status != 201)
            return -held.status;
        return m_http->sellCash(cart, staffToken).status;
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
};

QTEST_GUILESS_MAIN(TestSessions)
#include "tst_sessions.moc"
