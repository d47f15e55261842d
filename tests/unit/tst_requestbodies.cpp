// The write routes' bodies as the server checks them before any storage job:
// one row per rule, the same rules the controllers answered 400 for before
// the checks moved into RequestBodies.
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
};

QTEST_GUILESS_MAIN(TestRequestBodies)
#include "tst_requestbodies.moc"
