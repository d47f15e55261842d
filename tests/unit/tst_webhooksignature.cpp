// The signed-webhook scheme (t=UNIX,v1=HEX over "{t}.{body}"): what is
// accepted, and every way a report is refused.
#include "WebhookSignature.h"

#include <QtTest>

using namespace Marquee;
using Verdict = WebhookSignature::Verdict;

class TestWebhookSignature : public QObject
{
    Q_OBJECT

private slots:
    void aSignedBodyVerifiesWithinTheTolerance()
    {
        const WebhookSignature signer("secret");
        const QByteArray body = R"({"id":"evt_1"})";
        const QDateTime at = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
        const QByteArray header = signer.sign(body, at);
        QVERIFY(header.startsWith("t=1800000000,v1="));
        QCOMPARE(header.size(), qsizetype(16 + 64));
        QCOMPARE(signer.verify(header, body, at), Verdict::Valid);
        QCOMPARE(signer.verify(header, body, at.addSecs(300)), Verdict::Valid);
        QCOMPARE(signer.verify(header, body, at.addSecs(-300)), Verdict::Valid);
        QCOMPARE(signer.verify(header, body, at.addSecs(301)), Verdict::Stale);
        QCOMPARE(signer.verify(header, body, at.addSecs(-301)), Verdict::Stale);
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("verdict");
        const QDateTime at = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
        const QByteArray body = R"({"id":"evt_1"})";
        const QByteArray good = WebhookSignature("secret").sign(body, at);
        QTest::newRow("another secret")
            << WebhookSignature("other").sign(body, at) << body << int(Verdict::Mismatch);
        QTest::newRow("another body")
            << good << QByteArray(R"({"id":"evt_2"})") << int(Verdict::Mismatch);
        // The timestamp is signed: moving it to now breaks the MAC.
        QByteArray moved = good;
        moved.replace("t=1800000000", "t=1800000100");
        QTest::newRow("a moved timestamp") << moved << body << int(Verdict::Mismatch);
        QTest::newRow("empty") << QByteArray() << body << int(Verdict::Malformed);
        QTest::newRow("no timestamp")
            << good.mid(good.indexOf(',') + 1) << body << int(Verdict::Malformed);
        QTest::newRow("a short mac")
            << QByteArray("t=1800000000,v1=abcd") << body << int(Verdict::Malformed);
    }

    void refusals()
    {
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, body);
        QFETCH(int, verdict);
        const QDateTime at = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
        QCOMPARE(int(WebhookSignature("secret").verify(header, body, at)), verdict);
    }

    void aRolledSecretSendsTwoMacs()
    {
        const QDateTime at = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
        const QByteArray body = "{}";
        const QByteArray old = WebhookSignature("old").sign(body, at);
        const QByteArray fresh = WebhookSignature("new").sign(body, at);
        const QByteArray both = old + ',' + fresh.mid(fresh.indexOf(',') + 1);
        QCOMPARE(WebhookSignature("new").verify(both, body, at), Verdict::Valid);
        QCOMPARE(WebhookSignature("old").verify(both, body, at), Verdict::Valid);
        QCOMPARE(WebhookSignature("neither").verify(both, body, at), Verdict::Mismatch);
    }
};

QTEST_GUILESS_MAIN(TestWebhookSignature)
#include "tst_webhooksignature.moc"
