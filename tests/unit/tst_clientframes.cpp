// The reader of what channel clients send (ClientFrames): every rule of
// RFC 6455 it enforces, each with the close code it answers, for bytes fed
// whole and one at a time.
#include "ClientFrames.h"

#include <QtEndian>
#include <QtTest>

#include <optional>

using namespace Marquee;
using Type = ClientFrames::Message::Type;

namespace {

constexpr qint64 MaxMessage = 4096;

enum Flag
{
    Final = 0, ///< the default: a final, masked frame
    NotFinal = 1,
    Unmasked = 2,
    Reserved = 4, ///< RSV1 set
};

/// A client frame with \a opcode and \a payload; \a claimed: a length
/// other than the payload's in its header.
QByteArray encode(int opcode, const QByteArray &payload, int flags = Final,
    std::optional<quint64> claimed = std::nullopt)
{
    const bool masked = !(flags & Unmasked);
    QByteArray out;
    out.append(char((flags & NotFinal ? 0 : 0x80) | (flags & Reserved ? 0x40 : 0) | opcode));
    const quint64 length = claimed.value_or(quint64(payload.size()));
    const char maskBit = masked ? char(0x80) : char(0);
    if (length < 126) {
        out.append(char(maskBit | char(length)));
    } else if (length <= 0xffff) {
        out.append(char(maskBit | 126));
        char bytes[2];
        qToBigEndian(quint16(length), bytes);
        out.append(bytes, 2);
    } else {
        out.append(char(maskBit | 127));
        char bytes[8];
        qToBigEndian(length, bytes);
        out.append(bytes, 8);
    }
    const char mask[4] = {'\x37', '\xfa', '\x21', '\x3d'};
    if (masked)
        out.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(masked ? char(payload.at(i) ^ mask[i % 4]) : payload.at(i));
    return out;
}

QByteArray closePayload(int code, const QByteArray &reason = {})
{
    char bytes[2];
    qToBigEndian(quint16(code), bytes);
    return QByteArray(bytes, 2) + reason;
}

/// What \a bytes come to, fed in pieces of \a step bytes.
QList<ClientFrames::Message> messagesOf(const QByteArray &bytes, qsizetype step, int *failure)
{
    ClientFrames frames(MaxMessage);
    QList<ClientFrames::Message> messages;
    for (qsizetype i = 0; i < bytes.size(); i += step)
        messages += frames.feed(QByteArrayView(bytes).sliced(i, std::min(step, bytes.size() - i)));
    *failure = frames.failed();
    return messages;
}

QByteArray describe(const QList<ClientFrames::Message> &messages)
{
    QByteArrayList parts;
    for (const auto &m : messages) {
        const char *names[] = {"text", "binary", "ping", "pong", "close"};
        QByteArray part = QByteArray(names[int(m.type)]) + ':' + m.payload.toHex();
        if (m.type == Type::Close)
            part += ':' + QByteArray::number(m.closeCode);
        parts.append(part);
    }
    return parts.join(' ');
}

} // namespace

class TestClientFrames : public QObject
{
    Q_OBJECT

private slots:
    void frames_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("messages");
        QTest::addColumn<int>("failure");
        const QByteArray resync("{\"type\":\"resync\"}");
        const QByteArray resyncHex = resync.toHex();
        QTest::newRow("text") << encode(1, resync) << QByteArray("text:") + resyncHex << 0;
        QTest::newRow("empty text") << encode(1, QByteArray()) << QByteArray("text:") << 0;
        QTest::newRow("binary") << encode(2, "\x01\x02") << QByteArray("binary:0102") << 0;
        QTest::newRow("ping, pong")
            << encode(9, "hi") + encode(10, QByteArray()) << QByteArray("ping:6869 pong:") << 0;
        QTest::newRow("fragments with a ping between")
            << encode(1, "{\"type\":", NotFinal) + encode(9, "p") + encode(0, "\"resync\"}")
            << QByteArray("ping:70 text:") + resyncHex << 0;
        QTest::newRow("16-bit length") << encode(2, QByteArray(300, 'x'))
                                       << QByteArray("binary:") + QByteArray(300, 'x').toHex() << 0;
        QTest::newRow("largest message")
            << encode(1, QByteArray(MaxMessage, 'a'))
            << QByteArray("text:") + QByteArray(MaxMessage, 'a').toHex() << 0;
        QTest::newRow("close with code and reason")
            << encode(8, closePayload(1000, "bye")) + encode(1, "ignored")
            << QByteArray("close:627965:1000") << 0;
        QTest::newRow("close without code")
            << encode(8, QByteArray()) << QByteArray("close::1005") << 0;
        QTest::newRow("close with a private code")
            << encode(8, closePayload(4000)) << QByteArray("close::4000") << 0;

        // Refusals: what came before still counts, nothing after does.
        QTest::newRow("unmasked") << encode(1, "a") + encode(1, resync, Unmasked)
                                  << QByteArray("text:61") << 1002;
        QTest::newRow("reserved bit") << encode(1, "a", Reserved) << QByteArray("") << 1002;
        QTest::newRow("unknown opcode") << encode(3, "a") << QByteArray("") << 1002;
        QTest::newRow("fragmented control frame")
            << encode(9, "a", NotFinal) << QByteArray("") << 1002;
        QTest::newRow("control frame of 126 bytes")
            << encode(9, QByteArray(126, 'p')) << QByteArray("") << 1002;
        QTest::newRow("continuation without a message") << encode(0, "a") << QByteArray("") << 1002;
        QTest::newRow("new message inside a fragmented one")
            << encode(1, "a", NotFinal) + encode(1, "b") << QByteArray("") << 1002;
        QTest::newRow("message one byte too big")
            << encode(1, QByteArray(MaxMessage + 1, 'a')) << QByteArray("") << 1009;
        QTest::newRow("fragments too big together")
            << encode(1, QByteArray(MaxMessage, 'a'), NotFinal) + encode(0, "b") << QByteArray("")
            << 1009;
        QTest::newRow("a length of 2^63 - 1, no payload")
            << encode(1, "a", NotFinal) + encode(0, QByteArray(), Final, ~quint64(0) >> 1)
            << QByteArray("") << 1009;
        QTest::newRow("a length with its top bit set")
            << encode(2, QByteArray(), Final, quint64(1) << 63) << QByteArray("") << 1002;
        QTest::newRow("text that is not UTF-8") << encode(1, "\xc3\x28") << QByteArray("") << 1007;
        QTest::newRow("close of one byte") << encode(8, "\x03") << QByteArray("") << 1002;
        QTest::newRow("close with a reserved code")
            << encode(8, closePayload(1005)) << QByteArray("") << 1002;
        QTest::newRow("close with a reason not UTF-8")
            << encode(8, closePayload(1000, "\xff")) << QByteArray("") << 1002;
    }

    void frames()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, messages);
        QFETCH(int, failure);
        for (const qsizetype step : {bytes.size(), qsizetype(1), qsizetype(3)}) {
            int failed = -1;
            const auto got = messagesOf(bytes, std::max<qsizetype>(step, 1), &failed);
            QCOMPARE(describe(got), messages);
            QCOMPARE(failed, failure);
        }
    }

    void nothingIsReadAfterARefusal()
    {
        ClientFrames frames(MaxMessage);
        QVERIFY(frames.feed(encode(1, "a", Unmasked)).isEmpty());
        QCOMPARE(frames.failed(), 1002);
        QVERIFY(!frames.failure().isEmpty());
        QVERIFY(frames.feed(encode(1, "b")).isEmpty());
    }

    void aHugeClaimIsRefusedBeforeItsPayload()
    {
        // Only the header arrives: the refusal must not wait for (or keep)
        // the gigabyte it announces.
        ClientFrames frames(MaxMessage);
        const QByteArray header = encode(2, QByteArray(), Final, quint64(1) << 30);
        QVERIFY(frames.feed(header).isEmpty());
        QCOMPARE(frames.failed(), 1009);
    }
};

QTEST_GUILESS_MAIN(TestClientFrames)
#include "tst_clientframes.moc"
