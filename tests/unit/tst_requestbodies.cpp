// The write routes' bodies (and the audit trail's query) as the server checks
// them before any storage job: one row per rule, the same rules and messages
// the controllers answered 400 with before the checks moved into
// RequestBodies.
#include "RequestBodies.h"

#include <QtTest>

using namespace Marquee;

class TestRequestBodies : public QObject
{
    Q_OBJECT

private slots:
    void counterSale_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("holds"); ///< expected; {"-"} for a refusal
        const QStringList refused{QStringLiteral("-")};
        QTest::newRow("all holds")
            << QByteArray("k1") << QByteArray(R"({"cart":"c_1","payment":"cash"})")
            << QStringList();
        QTest::newRow("named holds")
            << QByteArray("k1")
            << QByteArray(R"({"cart":"c_1","payment":"cash","holds":["h_1","h_2"]})")
            << QStringList{QStringLiteral("h_1"), QStringLiteral("h_2")};
        QTest::newRow("no key") << QByteArray() << QByteArray(R"({"cart":"c_1","payment":"cash"})")
                                << refused;
        QTest::newRow("key too long")
            << QByteArray(129, 'k') << QByteArray(R"({"cart":"c_1","payment":"cash"})") << refused;
        QTest::newRow("no cart") << QByteArray("k1") << QByteArray(R"({"payment":"cash"})")
                                 << refused;
        QTest::newRow("card") << QByteArray("k1")
                              << QByteArray(R"({"cart":"c_1","payment":"card"})") << refused;
        QTest::newRow("empty holds")
            << QByteArray("k1") << QByteArray(R"({"cart":"c_1","payment":"cash","holds":[]})")
            << refused;
        QTest::newRow("hold twice")
            << QByteArray("k1")
            << QByteArray(R"({"cart":"c_1","payment":"cash","holds":["h","h"]})") << refused;
        QTest::newRow("hold not text")
            << QByteArray("k1") << QByteArray(R"({"cart":"c_1","payment":"cash","holds":[7]})")
            << refused;
        QTest::newRow("not json") << QByteArray("k1") << QByteArray("cart=c_1") << refused;
    }

    void counterSale()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, body);
        QFETCH(QStringList, holds);
        QString error;
        const auto sale = RequestBodies::counterSale(key, body, &error);
        if (holds == QStringList{QStringLiteral("-")}) {
            QVERIFY(!sale);
            QVERIFY(!error.isEmpty());
            return;
        }
        QVERIFY2(sale, qPrintable(error));
        QCOMPARE(sale->key, QString::fromLatin1(key));
        QCOMPARE(sale->cart, QStringLiteral("c_1"));
        QCOMPARE(sale->holds, holds);
    }

    void paymentReport_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<qint64>("amount"); ///< expected; -1 for a refusal
        QTest::newRow("header key")
            << QByteArray("k1") << QByteArray(R"({"amount":4500})") << qint64(4500);
        QTest::newRow("body key") << QByteArray() << QByteArray(R"({"key":"k2","amount":0})")
                                  << qint64(0);
        QTest::newRow("no key") << QByteArray() << QByteArray(R"({"amount":1})") << qint64(-1);
        QTest::newRow("negative") << QByteArray("k1") << QByteArray(R"({"amount":-1})")
                                  << qint64(-1);
        QTest::newRow("fraction") << QByteArray("k1") << QByteArray(R"({"amount":1.5})")
                                  << qint64(-1);
        QTest::newRow("past qint64")
            << QByteArray("k1") << QByteArray(R"({"amount":1e300})") << qint64(-1);
        QTest::newRow("amount as text")
            << QByteArray("k1") << QByteArray(R"({"amount":"1"})") << qint64(-1);
        QTest::newRow("reference not text")
            << QByteArray("k1") << QByteArray(R"({"amount":1,"reference":5})") << qint64(-1);
        QTest::newRow("reference too long") << QByteArray("k1")
                                            << QByteArray(R"({"amount":1,"reference":")")
                + QByteArray(201, 'r') + QByteArray(R"("})")
                                            << qint64(-1);
    }

    void paymentReport()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, body);
        QFETCH(qint64, amount);
        QString error;
        const auto report = RequestBodies::paymentReport(key, body, &error);
        QCOMPARE(report.has_value(), amount >= 0);
        QCOMPARE(error.isEmpty(), amount >= 0);
        if (report)
            QCOMPARE(report->amount, amount);
    }

    void signIn_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("name and password")
            << QByteArray(R"({"user":"clerk","password":"pw"})") << true;
        QTest::newRow("no password") << QByteArray(R"({"user":"clerk"})") << false;
        QTest::newRow("password not text")
            << QByteArray(R"({"user":"clerk","password":1})") << false;
        QTest::newRow("long name") << QByteArray(R"({"user":")") + QByteArray(65, 'u')
                + QByteArray(R"(","password":"pw"})")
                                   << false;
        QTest::newRow("not an object") << QByteArray(R"(["clerk","pw"])") << false;
    }

    void signIn()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, accepted);
        QString error;
        const auto signIn = RequestBodies::signIn(body, &error);
        QCOMPARE(signIn.has_value(), accepted);
        QCOMPARE(error.isEmpty(), accepted);
        if (signIn)
            QCOMPARE(signIn->user, QStringLiteral("clerk"));
    }

    void newUser_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error"); ///< expected; empty when accepted
        QTest::newRow("name, password, role")
            << QByteArray(R"({"name":"bea","password":"eight chr","role":"manager"})") << QString();
        QTest::newRow("disabled is allowed")
            << QByteArray(R"({"name":"bea","password":"eight chr","role":"clerk","disabled":true})")
            << QString();
        const QString badName
            = QStringLiteral("a user name has 1 to 64 letters, digits, '.', '_' or '-'");
        QTest::newRow("no name") << QByteArray(R"({"password":"eight chr","role":"clerk"})")
                                 << badName;
        QTest::newRow("space in name")
            << QByteArray(R"({"name":"b a","password":"eight chr","role":"clerk"})") << badName;
        QTest::newRow("newline after the name")
            << QByteArray(R"({"name":"bea\n","password":"eight chr","role":"clerk"})") << badName;
        QTest::newRow("65 characters") << QByteArray(R"({"name":")") + QByteArray(65, 'b')
                + QByteArray(R"(","password":"eight chr","role":"clerk"})")
                                       << badName;
        QTest::newRow("not json") << QByteArray("name=bea") << badName;
        QTest::newRow("unknown role")
            << QByteArray(R"({"name":"bea","password":"eight chr","role":"king"})")
            << QStringLiteral("\"role\" is clerk, manager or admin.");
        QTest::newRow("role not text")
            << QByteArray(R"({"name":"bea","password":"eight chr","role":2})")
            << QStringLiteral("\"role\" is clerk, manager or admin.");
        QTest::newRow("disabled not bool")
            << QByteArray(R"({"name":"bea","password":"eight chr","role":"clerk","disabled":1})")
            << QStringLiteral("\"disabled\" is true or false.");
        QTest::newRow("password not text")
            << QByteArray(R"({"name":"bea","password":12345678,"role":"clerk"})")
            << QStringLiteral("\"password\" is a string.");
        QTest::newRow("short password")
            << QByteArray(R"({"name":"bea","password":"seven c","role":"clerk"})")
            << QStringLiteral("a password needs at least 8 characters");
        QTest::newRow("no password")
            << QByteArray(R"({"name":"bea","role":"clerk"})")
            << QStringLiteral("A new user needs \"name\", \"password\" and \"role\".");
        QTest::newRow("no role") << QByteArray(R"({"name":"bea","password":"eight chr"})")
                                 << QStringLiteral(
                                        "A new user needs \"name\", \"password\" and \"role\".");
    }

    void newUser()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        QString problem;
        const auto user = RequestBodies::newUser(body, &problem);
        QCOMPARE(problem, error);
        QCOMPARE(user.has_value(), error.isEmpty());
        if (user) {
            QCOMPARE(user->name, QStringLiteral("bea"));
            QCOMPARE(user->password, QStringLiteral("eight chr"));
        }
    }

    void userChange_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("role"); ///< expected when accepted; empty: unchanged
        QTest::addColumn<int>("disabled"); ///< -1 unchanged, 0 false, 1 true
        QTest::addColumn<QString>("password");
        QTest::newRow("role") << QByteArray(R"({"role":"admin"})") << true
                              << QStringLiteral("admin") << -1 << QString();
        QTest::newRow("disable") << QByteArray(R"({"disabled":true})") << true << QString() << 1
                                 << QString();
        QTest::newRow("enable, new password")
            << QByteArray(R"({"disabled":false,"password":"new password"})") << true << QString()
            << 0 << QStringLiteral("new password");
        QTest::newRow("nothing") << QByteArray("{}") << true << QString() << -1 << QString();
        QTest::newRow("not JSON") << QByteArray("role=admin") << false << QString() << -1
                                  << QString();
        QTest::newRow("empty body") << QByteArray() << false << QString() << -1 << QString();
        QTest::newRow("array") << QByteArray(R"([{"role":"admin"}])") << false << QString() << -1
                               << QString();
        QTest::newRow("unknown role")
            << QByteArray(R"({"role":"king"})") << false << QString() << -1 << QString();
        QTest::newRow("role null")
            << QByteArray(R"({"role":null})") << false << QString() << -1 << QString();
        QTest::newRow("disabled as text")
            << QByteArray(R"({"disabled":"yes"})") << false << QString() << -1 << QString();
        QTest::newRow("empty password")
            << QByteArray(R"({"password":""})") << false << QString() << -1 << QString();
        QTest::newRow("password too long")
            << QByteArray(R"({"password":")") + QByteArray(1025, 'p') + QByteArray(R"("})") << false
            << QString() << -1 << QString();
    }

    void userChange()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, accepted);
        QFETCH(QString, role);
        QFETCH(int, disabled);
        QFETCH(QString, password);
        QString error;
        const auto change = RequestBodies::userChange(body, &error);
        QCOMPARE(change.has_value(), accepted);
        QCOMPARE(error.isEmpty(), accepted);
        if (!change)
            return;
        QCOMPARE(change->role ? roleName(*change->role) : QString(), role);
        QCOMPARE(change->disabled ? int(*change->disabled) : -1, disabled);
        QCOMPARE(change->password, password);
    }

    void newCredential_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("days"); ///< expected; 0 for a refusal
        QTest::newRow("seven days")
            << QByteArray(R"({"name":"psp","purpose":"payments","days":7})") << 7;
        QTest::newRow("default") << QByteArray(R"({"name":"door-1","purpose":"scanner"})") << 90;
        QTest::newRow("a year and a day")
            << QByteArray(R"({"name":"psp","purpose":"payments","days":366})") << 366;
        QTest::newRow("367 days") << QByteArray(R"({"name":"psp","purpose":"payments","days":367})")
                                  << 0;
        QTest::newRow("zero days")
            << QByteArray(R"({"name":"psp","purpose":"payments","days":0})") << 0;
        QTest::newRow("days as text")
            << QByteArray(R"({"name":"psp","purpose":"payments","days":"30"})") << 0;
        QTest::newRow("fraction of a day")
            << QByteArray(R"({"name":"psp","purpose":"payments","days":1.5})") << 0;
        QTest::newRow("days past int")
            << QByteArray(R"({"name":"psp","purpose":"payments","days":1e10})") << 0;
        QTest::newRow("days null")
            << QByteArray(R"({"name":"psp","purpose":"payments","days":null})") << 0;
        QTest::newRow("unknown purpose")
            << QByteArray(R"({"name":"psp","purpose":"tickets"})") << 0;
        QTest::newRow("bad name") << QByteArray(R"({"name":"p s p","purpose":"payments"})") << 0;
        QTest::newRow("no name") << QByteArray(R"({"purpose":"payments"})") << 0;
        // Found by fuzz_request_bodies: "$" matched before the newline.
        QTest::newRow("newline after the name")
            << QByteArray(R"({"name":"s\n","purpose":"scanner"})") << 0;
    }

    void newCredential()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, days);
        QString error;
        const auto credential = RequestBodies::newCredential(body, &error);
        QCOMPARE(credential.has_value(), days > 0);
        if (!credential) {
            QCOMPARE(error,
                QStringLiteral("Send {\"name\": 1 to 64 letters, digits, '.', '_' or '-',"
                               " \"purpose\": \"payments\" or \"scanner\", \"days\": 1 to 366}."));
            return;
        }
        QVERIFY(error.isEmpty());
        QCOMPARE(credential->days, days);
    }

    void auditPage_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("error"); ///< expected; empty when accepted
        QTest::addColumn<qint64>("after");
        QTest::addColumn<int>("limit");
        const QString paging = QStringLiteral("\"after\" is an entry id, \"limit\" 1 to 500.");
        QTest::newRow("nothing") << QString() << QString() << qint64(0) << 100;
        QTest::newRow("a page") << QStringLiteral("after=41&limit=2") << QString() << qint64(41)
                                << 2;
        QTest::newRow("filters") << QStringLiteral(
            "actor=anna&action=order.sell&event=breakfast-ii"
            "&from=2026-12-01T00:00:00Z&until=2026-12-02T00:00:00%2B01:00")
                                 << QString() << qint64(0) << 100;
        QTest::newRow("limit 500") << QStringLiteral("limit=500") << QString() << qint64(0) << 500;
        QTest::newRow("limit 501") << QStringLiteral("limit=501") << paging << qint64(0) << 0;
        QTest::newRow("limit 0") << QStringLiteral("limit=0") << paging << qint64(0) << 0;
        QTest::newRow("limit empty") << QStringLiteral("limit=") << paging << qint64(0) << 0;
        QTest::newRow("after negative") << QStringLiteral("after=-1") << paging << qint64(0) << 0;
        QTest::newRow("after not a number")
            << QStringLiteral("after=x") << paging << qint64(0) << 0;
        QTest::newRow("from yesterday")
            << QStringLiteral("from=yesterday")
            << QStringLiteral("\"from\" is an ISO-8601 time, e.g. 2026-12-01T00:00:00Z.")
            << qint64(0) << 0;
        QTest::newRow("until past 9999 in UTC")
            << QStringLiteral("until=9999-12-31T23:59:59-14:00")
            << QStringLiteral("\"until\" is an ISO-8601 time, e.g. 2026-12-01T00:00:00Z.")
            << qint64(0) << 0;
        QTest::newRow("until empty")
            << QStringLiteral("until=")
            << QStringLiteral("\"until\" is an ISO-8601 time, e.g. 2026-12-01T00:00:00Z.")
            << qint64(0) << 0;
    }

    void auditPage()
    {
        QFETCH(QString, query);
        QFETCH(QString, error);
        QFETCH(qint64, after);
        QFETCH(int, limit);
        QString problem;
        const auto page = RequestBodies::auditPage(query, &problem);
        QCOMPARE(problem, error);
        QCOMPARE(page.has_value(), error.isEmpty());
        if (!page)
            return;
        QCOMPARE(page->after, after);
        QCOMPARE(page->limit, limit);
    }

    void auditFiltersAreDecoded()
    {
        const auto page = RequestBodies::auditPage(
            QStringLiteral("actor=credential%3Apsp&until=2026-12-02T00:00:00%2B01:00"), nullptr);
        QVERIFY(page);
        QCOMPARE(page->filter.actor, QStringLiteral("credential:psp"));
        QCOMPARE(page->filter.until, QDateTime(QDate(2026, 12, 1), QTime(23, 0), Qt::UTC));
        QVERIFY(page->filter.from.isNull());
        const auto longEvent
            = RequestBodies::auditPage(QStringLiteral("event=") + QString(300, u'e'), nullptr);
        QVERIFY(longEvent);
        QCOMPARE(longEvent->filter.event.size(), 200);
    }
};

QTEST_GUILESS_MAIN(TestRequestBodies)
#include "tst_requestbodies.moc"
