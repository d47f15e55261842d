// The client-frame check on its own: masked frames of every length
// encoding pass, however they are split; the first unmasked one is caught.
#include "MaskedFrames.h"

#include <QtEndian>
#include <QtTest>

using namespace Marquee;

namespace {

QByteArray frame(int opcode, qsizetype length, bool masked)
{
    QByteArray out;
    out.append(char(0x80 | opcode));
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
        qToBigEndian(quint64(length), bytes);
        out.append(bytes, 8);
    }
    if (masked)
        out.append("\x01\x02\x03\x04", 4);
    // Payload bytes that would read as unmasked headers if not skipped.
    return out + QByteArray(length, '\x01');
}

bool feed(const QByteArray &bytes, qsizetype step)
{
    MaskedFrames frames;
    bool ok = true;
    for (qsizetype i = 0; i < bytes.size() && ok; i += step)
        ok = frames.feed(QByteArrayView(bytes).sliced(i, std::min(step, bytes.size() - i)));
    return ok;
}

} // namespace

class TestMaskedFrames : public QObject
{
    Q_OBJECT

private slots:
    void frames_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("ok");
        const QByteArray masked = frame(1, 0, true) + frame(9, 125, true) + frame(2, 126, true)
            + frame(1, 70'000, true);
        QTest::newRow("masked, every length") << masked << true;
        QTest::newRow("unmasked first") << frame(1, 5, false) << false;
        QTest::newRow("unmasked after masked") << masked + frame(9, 0, false) << false;
        QTest::newRow("unmasked with a long length") << frame(1, 300, false) << false;
    }

    void frames()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, ok);
        QCOMPARE(feed(bytes, bytes.size()), ok);
        QCOMPARE(feed(bytes, 1), ok);
        QCOMPARE(feed(bytes, 7), ok);
    }
};

QTEST_GUILESS_MAIN(TestMaskedFrames)
#include "tst_maskedframes.moc"
