// The framing judge on its own: one _data row per rule, each fed whole and
// byte by byte (a head split anywhere is judged the same), plus bodies that
// are skipped by their length and never read as heads.
#include "RequestFraming.h"

#include <QtTest>

using namespace Marquee;

namespace {

constexpr qint64 limit = 80 * 1024;

struct Outcome
{
    int status = 0; ///< 0: accepted
    QList<RequestFraming::Head> heads;
};

Outcome judge(const QByteArray &bytes, bool byteByByte)
{
    RequestFraming framing(limit);
    Outcome outcome;
    const qsizetype step = byteByByte ? 1 : bytes.size();
    for (qsizetype i = 0; i < bytes.size(); i += step) {
        if (const auto refusal
            = framing.feed(QByteArrayView(bytes).sliced(i, std::min(step, bytes.size() - i)),
                &outcome.heads)) {
            outcome.status = refusal->status;
            break;
        }
    }
    return outcome;
}

QByteArray request(const QByteArray &headers, const QByteArray &body = {})
{
    return "POST /api/v1/carts HTTP/1.1\r\nHost: h\r\n" + headers + "\r\n" + body;
}

} // namespace

class TestRequestFraming : public QObject
{
    Q_OBJECT

private slots:
    void verdicts_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::newRow("no body") << request({}) << 0;
        QTest::newRow("content-length") << request("Content-Length: 2\r\n", "{}") << 0;
        QTest::newRow("content-length, any case") << request("content-LENGTH:  2 \r\n", "{}") << 0;
        QTest::newRow("leading empty line") << "\r\n" + request({}) << 0;
        QTest::newRow("query with %2F") << QByteArray("GET /a?x=%2F HTTP/1.1\r\n\r\n") << 0;
        QTest::newRow("websocket upgrade")
            << QByteArray("GET /e HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
            << 0;
        QTest::newRow("transfer-encoding chunked")
            << request("Transfer-Encoding: chunked\r\n") << 400;
        QTest::newRow("transfer-encoding identity")
            << request("Transfer-Encoding: identity\r\n") << 400;
        QTest::newRow("te with content-length")
            << request("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n") << 400;
        QTest::newRow("two content-lengths, equal")
            << request("Content-Length: 2\r\nContent-Length: 2\r\n", "{}") << 400;
        QTest::newRow("content-length list") << request("Content-Length: 2, 2\r\n", "{}") << 400;
        QTest::newRow("negative") << request("Content-Length: -1\r\n") << 400;
        QTest::newRow("plus sign") << request("Content-Length: +2\r\n", "{}") << 400;
        QTest::newRow("empty") << request("Content-Length:\r\n") << 400;
        QTest::newRow("19 digits") << request("Content-Length: 1000000000000000000\r\n") << 400;
        QTest::newRow("over the limit") << request("Content-Length: 81921\r\n") << 413;
        QTest::newRow("head over the limit") << request("X: " + QByteArray(limit, 'x')) << 413;
        QTest::newRow("space before colon") << request("Content-Length : 2\r\n", "{}") << 400;
        QTest::newRow("folded") << request("X: a\r\n\tb\r\n") << 400;
        QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: h\n\n") << 400;
        QTest::newRow("bare CR") << QByteArray("GET / HTTP/1.1\rHost: h\r\n\r\n") << 400;
        QTest::newRow("NUL in a value") << request(QByteArray("X: a\0b\r\n", 8)) << 400;
        QTest::newRow("two spaces in request line") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("HTTP/1.2") << QByteArray("GET / HTTP/1.2\r\n\r\n") << 400;
        QTest::newRow("%2F in path") << QByteArray("GET /a%2Fb HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("%00 in path") << QByteArray("GET /a%00 HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("CONNECT") << QByteArray("CONNECT h:443 HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("h2c upgrade")
            << QByteArray("GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n") << 400;
        QTest::newRow("upgrade with body") << QByteArray(
            "GET /e HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            "Content-Length: 1\r\n\r\nx") << 400;
        QTest::newRow("unknown expectation") << request("Expect: gold\r\n") << 417;
        // Found by fuzz_request_framing: the bytes after a head that came in
        // the same piece were read as part of it, so the verdict depended on
        // how TCP cut them.
        QTest::newRow("LF after a head") << QByteArray("T p HTTP/1.1\r\n\r\n\n") << 0;
        QTest::newRow("LF in a body") << request("Content-Length: 3\r\n", "{\n}") << 0;
        QTest::newRow("head over the limit, ended")
            << request("X: " + QByteArray(limit, 'x') + "\r\n") << 413;
        QTest::newRow("smuggled after a body")
            << request("Content-Length: 2\r\n", "{}") + request("Transfer-Encoding: chunked\r\n")
            << 400;
    }

    void verdicts()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        const Outcome whole = judge(bytes, false);
        const Outcome byteByByte = judge(bytes, true);
        QCOMPARE(whole.status, status);
        QCOMPARE(byteByByte.status, status);
        QCOMPARE(whole.heads.size(), byteByByte.heads.size());
    }

    void bodiesAreSkippedByTheirLength()
    {
        // The body looks like a refused head; it is 40 bytes of body.
        const QByteArray body = "GET / HTTP/1.1\r\nTransfer-Encoding: x\r\n\r\n";
        QCOMPARE(body.size(), 40);
        const QByteArray bytes
            = request("Content-Length: 40\r\n", body) + request("Connection: close\r\n");
        for (const bool byteByByte : {false, true}) {
            const Outcome outcome = judge(bytes, byteByByte);
            QCOMPARE(outcome.status, 0);
            QCOMPARE(outcome.heads.size(), 2);
            QCOMPARE(outcome.heads.at(0).index, 0u);
            QCOMPARE(outcome.heads.at(0).contentLength, 40);
            QVERIFY(!outcome.heads.at(0).closeAfter);
            QCOMPARE(outcome.heads.at(1).index, 1u);
            QVERIFY(outcome.heads.at(1).closeAfter);
        }
    }

    void connectionAndExpect_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("closeAfter");
        QTest::addColumn<bool>("expectsContinue");
        QTest::newRow("HTTP/1.1") << QByteArray("GET / HTTP/1.1\r\n\r\n") << false << false;
        QTest::newRow("close") << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") << true
                               << false;
        QTest::newRow("HTTP/1.0") << QByteArray("GET / HTTP/1.0\r\n\r\n") << true << false;
        QTest::newRow("HTTP/1.0 keep-alive")
            << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << false << false;
        QTest::newRow("expect with body")
            << request("Expect: 100-Continue\r\nContent-Length: 2\r\n") << false << true;
        QTest::newRow("expect without body")
            << request("Expect: 100-continue\r\n") << false << false;
    }

    void connectionAndExpect()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, closeAfter);
        QFETCH(bool, expectsContinue);
        const Outcome outcome = judge(bytes, false);
        QCOMPARE(outcome.status, 0);
        QCOMPARE(outcome.heads.size(), 1);
        QCOMPARE(outcome.heads.first().closeAfter, closeAfter);
        QCOMPARE(outcome.heads.first().expectsContinue, expectsContinue);
    }

    void nothingIsJudgedAfterAnUpgrade()
    {
        RequestFraming framing(limit);
        QList<RequestFraming::Head> heads;
        QVERIFY(!framing.feed("GET /e HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
                              "\x81\x05hello",
            &heads));
        QVERIFY(framing.upgraded());
        QVERIFY(!framing.feed("not HTTP at all\n\n", &heads));
        QCOMPARE(heads.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestRequestFraming)
#include "tst_requestframing.moc"
