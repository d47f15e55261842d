// The audit trail over real HTTP: who did what, when and from where, for
// sign-ins, holds, sales, refunds and changes of role (with before and
// after); filters and paging; and the database refusing to change it.
#include "HttpClient.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

class TestAudit : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void init()
    {
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
        m_admin = m_server->issueToken(Role::Admin);
    }

    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void recordsWhoDidWhat()
    {
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/v1/users"),
                         QJsonObject{{QStringLiteral("name"), QStringLiteral("dana")},
                             {QStringLiteral("password"), QStringLiteral("dana's password")},
                             {QStringLiteral("role"), QStringLiteral("clerk")}},
                         m_admin)
                     .status,
            201);
        const QString dana
            = m_http->signIn(QStringLiteral("dana"), QStringLiteral("dana's password"));
        QVERIFY(m_http->signIn(QStringLiteral("dana"), QStringLiteral("wrong password")).isEmpty());
        const auto [cart, token] = m_http->newCart();
        const QString hold
            = m_http->holdSeats(cart, token, QStringLiteral("breakfast-ii"), {QStringLiteral("F4")})
                  .json()
                  .value(QLatin1String("hold"))
                  .toString();
        const QString order
            = m_http->sellCash(cart, dana).json().value(QLatin1String("order")).toString();
        QVERIFY(!order.isEmpty());
        QCOMPARE(m_http
                     ->patch(QStringLiteral("/api/v1/users/dana"),
                         {{QStringLiteral("role"), QStringLiteral("manager")}}, m_admin)
                     .status,
            200);
        QCOMPARE(
            m_http->post(QStringLiteral("/api/v1/orders/%1/refund").arg(order), QByteArray(), dana)
                .status,
            200);

        const QList<QJsonObject> all = entries(QStringLiteral("limit=500"));
        const QJsonObject created
            = find(all, QStringLiteral("user.create"), QStringLiteral("dana"));
        QVERIFY(created.value(QLatin1String("actor")).toString().startsWith(u"test-admin-"));
        QCOMPARE(created.value(QLatin1String("address")).toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(find(all, QStringLiteral("session.open"), QStringLiteral("dana"))
                     .value(QLatin1String("actor"))
                     .toString(),
            QStringLiteral("dana"));
        QVERIFY(!find(all, QStringLiteral("session.refuse"), QStringLiteral("dana")).isEmpty());
        const QJsonObject held = find(all, QStringLiteral("hold.create"), hold);
        QCOMPARE(held.value(QLatin1String("actor")).toString(), QStringLiteral("cart:") + cart);
        QCOMPARE(held.value(QLatin1String("event")).toString(), QStringLiteral("breakfast-ii"));
        QCOMPARE(held.value(QLatin1String("details")).toObject().value(QLatin1String("seats")),
            QJsonArray{QStringLiteral("F4")});
        QCOMPARE(find(all, QStringLiteral("order.sell"), order).value(QLatin1String("actor")),
            QStringLiteral("dana"));
        const QJsonObject role = find(all, QStringLiteral("user.role"), QStringLiteral("dana"));
        QCOMPARE(role.value(QLatin1String("details")).toObject(),
            (QJsonObject{{QStringLiteral("before"), QStringLiteral("clerk")},
                {QStringLiteral("after"), QStringLiteral("manager")}}));
        QCOMPARE(find(all, QStringLiteral("order.refund"), order).value(QLatin1String("actor")),
            QStringLiteral("dana"));

        // Filters: one user's doing, one action.
        for (const QJsonObject &entry : entries(QStringLiteral("actor=dana")))
            QCOMPARE(entry.value(QLatin1String("actor")).toString(), QStringLiteral("dana"));
        const QList<QJsonObject> sales = entries(QStringLiteral("action=order.sell"));
        QCOMPARE(sales.size(), 1);
        QCOMPARE(entries(QStringLiteral("event=open-air")).size(), 0);
        // An order's sale and refund belong to the event whose seats they moved.
        QStringList forEvent;
        for (const QJsonObject &entry : entries(QStringLiteral("event=breakfast-ii")))
            forEvent << entry.value(QLatin1String("action")).toString();
        QCOMPARE(forEvent,
            (QStringList{QStringLiteral("hold.create"), QStringLiteral("order.sell"),
                QStringLiteral("order.refund")}));
        const QString later = isoUtc(m_server->clock().now().addSecs(60));
        QCOMPARE(entries(QStringLiteral("from=") + later).size(), 0);
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/audit?from=yesterday"), m_admin).status, 400);
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/audit?limit=100000"), m_admin).status, 400);
    }

    // A cart made with a clerk's session is the counter's: its holds and
    // releases are the clerk's doing, not an anonymous cart's.
    void counterHoldsAreTheClerks()
    {
        m_server->addUser(QStringLiteral("eli"), QStringLiteral("eli's password"), Role::Clerk);
        const QString eli = m_http->signIn(QStringLiteral("eli"), QStringLiteral("eli's password"));
        QVERIFY(!eli.isEmpty());
        const auto made = m_http->post(QStringLiteral("/api/v1/carts"), QByteArray(), eli);
        QCOMPARE(made.status, 201);
        const QString cart = made.json().value(QLatin1String("cart")).toString();
        const QString token = made.json().value(QLatin1String("token")).toString();
        const QString hold
            = m_http->holdSeats(cart, token, QStringLiteral("breakfast-ii"), {QStringLiteral("G2")})
                  .json()
                  .value(QLatin1String("hold"))
                  .toString();
        QVERIFY(!hold.isEmpty());
        QCOMPARE(
            m_http->del(QStringLiteral("/api/v1/carts/%1/holds/%2").arg(cart, hold), token).status,
            204);

        const QList<QJsonObject> all = entries(QStringLiteral("limit=500"));
        for (const QString &action :
            {QStringLiteral("hold.create"), QStringLiteral("hold.release")}) {
            const QJsonObject entry = find(all, action, hold);
            QCOMPARE(entry.value(QLatin1String("actor")).toString(), QStringLiteral("eli"));
            QCOMPARE(entry.value(QLatin1String("address")).toString(), QStringLiteral("127.0.0.1"));
        }
    }

    void pagesFollowOneAnother()
    {
        for (int i = 0; i < 5; ++i)
            m_server->issueToken(Role::Clerk); // a session.open each
        QList<qint64> ids;
        qint64 after = 0;
        for (int page = 0; page < 20; ++page) {
            const auto answer
                = m_http->get(QStringLiteral("/api/v1/audit?limit=2&after=%1").arg(after), m_admin);
            QCOMPARE(answer.status, 200);
            const QJsonArray list = answer.json().value(QLatin1String("entries")).toArray();
            if (list.isEmpty()) {
                QCOMPARE(answer.json().value(QLatin1String("next")).toInteger(), after);
                break;
            }
            QVERIFY(list.size() <= 2);
            for (const QJsonValue &entry : list)
                ids.append(entry.toObject().value(QLatin1String("id")).toInteger());
            after = answer.json().value(QLatin1String("next")).toInteger();
            QCOMPARE(after, ids.last());
        }
        QVERIFY(ids.size() >= 6);
        for (qsizetype i = 1; i < ids.size(); ++i)
            QVERIFY(ids.at(i) > ids.at(i - 1));
    }

    void theDatabaseRefusesChanges()
    {
        m_server->issueToken(Role::Clerk);
        Storage &storage = m_server->server().storage();
        const auto attempt = [&](const QString &statement) {
            try {
                storage.runBlocking<bool>([statement](StorageSession &s) {
                    Sql::exec(s.db, statement);
                    return true;
                });
            } catch (const StorageError &refused) {
                return QString::fromUtf8(refused.what());
            }
            return QString();
        };
        QVERIFY(attempt(QStringLiteral("UPDATE audit_log SET actor = 'nobody'"))
                    .contains(u"append-only"));
        QVERIFY(attempt(QStringLiteral("DELETE FROM audit_log")).contains(u"append-only"));
        if (m_server->database().backend == DatabaseConfig::Backend::Postgres)
            QVERIFY(attempt(QStringLiteral("TRUNCATE audit_log")).contains(u"append-only"));
        QVERIFY(!entries(QStringLiteral("actor=nobody")).size());
        QVERIFY(entries({}).size() > 0);
    }

private:
    QList<QJsonObject> entries(const QString &query)
    {
        const auto answer = m_http->get(QStringLiteral("/api/v1/audit?") + query, m_admin);
        QList<QJsonObject> list;
        for (const QJsonValue &entry : answer.json().value(QLatin1String("entries")).toArray())
            list.append(entry.toObject());
        return list;
    }

    static QJsonObject find(
        const QList<QJsonObject> &all, const QString &action, const QString &subject)
    {
        for (const QJsonObject &entry : all) {
            if (entry.value(QLatin1String("action")).toString() == action
                && entry.value(QLatin1String("subject")).toString() == subject)
                return entry;
        }
        qWarning("no %s of %s in the audit trail", qPrintable(action), qPrintable(subject));
        return {};
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
    QString m_admin;
};

QTEST_GUILESS_MAIN(TestAudit)
#include "tst_audit.moc"
