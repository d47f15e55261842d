// The frames the server writes (WebSocketFrame): headers for every length
// encoding, control frames held to 125 bytes, and the payload found again.
#include "WebSocketFrame.h"

#include <QtEndian>
#include <QtTest>

using namespace Marquee;

class TestWebSocketFrame : public QObject
{
    Q_OBJECT

private slots:
    void textHeaders_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("empty") << 0 << QByteArray("\x81\x00", 2);
        QTest::newRow("125") << 125 << QByteArray("\x81\x7d");
        QTest::newRow("126: 16-bit length") << 126 << QByteArray("\x81\x7e\x00\x7e", 4);
        QTest::newRow("65535") << 65535 << QByteArray("\x81\x7e\xff\xff");
        QTest::newRow("65536: 64-bit length")
            << 65536 << QByteArray("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
    }

    void textHeaders()
    {
        QFETCH(int, length);
        QFETCH(QByteArray, header);
        const QByteArray payload(length, 'j');
        const QByteArray frame = WebSocketFrame::text(payload);
        QCOMPARE(frame.left(header.size()).toHex(), header.toHex());
        QCOMPARE(frame.size(), header.size() + length);
        QCOMPARE(WebSocketFrame::payload(frame), QByteArrayView(payload));
    }

    void controlFrames()
    {
        QCOMPARE(WebSocketFrame::ping().toHex(), QByteArray("8900"));
        QCOMPARE(WebSocketFrame::pong("abc").toHex(), QByteArray("8a03616263"));
        QCOMPARE(WebSocketFrame::pong(QByteArray(200, 'p')).size(), 2 + 125);
        QCOMPARE(WebSocketFrame::close(1005, {}).toHex(), QByteArray("8800"));
        QCOMPARE(WebSocketFrame::close(4429, QStringLiteral("too many messages")),
            QByteArray("\x88\x13\x11\x4dtoo many messages"));
        // A long reason is cut to what a control frame holds, whole characters only.
        const QByteArray close = WebSocketFrame::close(1000, QString(100, QChar(0x00e9)));
        QCOMPARE(close.size(), 2 + 124);
        QVERIFY(QString::fromUtf8(WebSocketFrame::payload(close).sliced(2))
            == QString(61, QChar(0x00e9)));
    }
};

QTEST_GUILESS_MAIN(TestWebSocketFrame)
#include "tst_websocketframe.moc"
