// The reader of what WebSocket clients send (ClientFrames), over the raw
// bytes of one channel connection. Byte 0: bits 0-1 pick the message limit,
// bit 7 the mode. Raw mode: byte 1 is a cut length (0: none) and the rest
// the connection's bytes, fed whole, in pieces of that length and (up to
// 512 bytes) byte by byte: where TCP splits them must not change what is
// read. Built mode: the rest is turned into well-formed masked frames (a
// length byte, then that many payload bytes, split in two fragments around
// a ping), which must read back as exactly the messages they carry.
#include "ClientFrames.h"
#include "FuzzCheck.h"

#include <QString>
#include <QtEndian>

#include <algorithm>

using namespace Marquee;

namespace {

using Message = ClientFrames::Message;

struct Run
{
    QList<Message> messages;
    int failure = 0;
};

bool sameMessage(const Message &a, const Message &b)
{
    return a.type == b.type && a.payload == b.payload && a.closeCode == b.closeCode;
}

bool validCloseCode(int code)
{
    return code == 1005 || (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011)
        || (code >= 3000 && code <= 4999);
}

/// Feeds \a pieces in order, checking what the reader promises of each step.
Run feed(const QList<QByteArrayView> &pieces, qint64 limit)
{
    ClientFrames frames(limit);
    Run run;
    bool closed = false;
    for (const QByteArrayView piece : pieces) {
        const bool wasDone = closed || frames.failed();
        const QList<Message> got = frames.feed(piece);
        if (wasDone) {
            // After a breach or a Close nothing more is read.
            FUZZ_CHECK(got.isEmpty() && frames.failed() == run.failure);
            continue;
        }
        for (const Message &message : got) {
            FUZZ_CHECK(!closed);
            closed = message.type == Message::Type::Close;
        }
        run.messages.append(got);
        run.failure = frames.failed();
    }
    FUZZ_CHECK(
        run.failure == 0 || run.failure == 1002 || run.failure == 1007 || run.failure == 1009);
    FUZZ_CHECK((run.failure == 0) == frames.failure().isEmpty());
    for (const Message &message : run.messages) {
        switch (message.type) {
        case Message::Type::Text:
            // Valid UTF-8 decodes and encodes back to the same bytes.
            FUZZ_CHECK(QString::fromUtf8(message.payload).toUtf8() == message.payload);
            Q_FALLTHROUGH();
        case Message::Type::Binary:
            FUZZ_CHECK(message.payload.size() <= limit);
            break;
        case Message::Type::Close:
            FUZZ_CHECK(message.payload.size() <= 123 && validCloseCode(message.closeCode));
            FUZZ_CHECK(message.closeCode != 1005 || message.payload.isEmpty());
            break;
        case Message::Type::Ping:
        case Message::Type::Pong:
            FUZZ_CHECK(message.payload.size() <= 125);
            break;
        }
    }
    return run;
}

void checkSame(const Run &a, const Run &b)
{
    FUZZ_CHECK(a.failure == b.failure);
    FUZZ_CHECK(a.messages.size() == b.messages.size());
    FUZZ_CHECK(
        std::equal(a.messages.cbegin(), a.messages.cend(), b.messages.cbegin(), sameMessage));
}

/// One masked client frame; the mask is taken from the payload's own bytes.
void appendFrame(QByteArray *out, int opcode, bool final, QByteArrayView payload)
{
    out->append(char((final ? 0x80 : 0) | opcode));
    if (payload.size() < 126) {
        out->append(char(0x80 | payload.size()));
    } else {
        out->append(char(0x80 | 126));
        uchar length[2];
        qToBigEndian<quint16>(quint16(payload.size()), length);
        out->append(reinterpret_cast<const char *>(length), 2);
    }
    const char mask[4] = {char(payload.size()), 'm', char(0x5a), char(opcode)};
    out->append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out->append(char(payload[i] ^ mask[i % 4]));
}

void checkBuilt(QByteArrayView rest, qint64 limit)
{
    QByteArray stream;
    QList<Message> sent;
    while (!rest.isEmpty()) {
        const qsizetype length = std::min<qsizetype>(quint8(rest[0]) * 16, rest.size() - 1);
        const QByteArrayView payload = rest.sliced(1, length);
        rest = rest.sliced(1 + length);
        if (payload.size() > limit)
            break; // refused from the header, as raw mode checks
        const qsizetype split = payload.isEmpty() ? 0 : quint8(payload[0]) % (payload.size() + 1);
        appendFrame(&stream, 0x2, false, payload.first(split));
        const QByteArrayView ping = payload.first(std::min<qsizetype>(payload.size(), 125));
        appendFrame(&stream, 0x9, true, ping);
        appendFrame(&stream, 0x0, true, payload.sliced(split));
        sent.append({Message::Type::Ping, ping.toByteArray()});
        sent.append({Message::Type::Binary, payload.toByteArray()});
    }
    const Run run = feed({stream}, limit);
    FUZZ_CHECK(run.failure == 0);
    FUZZ_CHECK(run.messages.size() == sent.size());
    FUZZ_CHECK(std::equal(sent.cbegin(), sent.cend(), run.messages.cbegin(), sameMessage));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static constexpr qint64 limits[] = {0, 16, 125, 4096};
    if (size < 2)
        return 0;
    const qint64 limit = limits[data[0] & 3];
    if (data[0] & 0x80) {
        checkBuilt(
            QByteArrayView(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1)), limit);
        return 0;
    }
    const qsizetype cut = data[1];
    const QByteArrayView stream(reinterpret_cast<const char *>(data) + 2, qsizetype(size - 2));
    const Run whole = feed({stream}, limit);
    if (cut > 0) {
        QList<QByteArrayView> pieces;
        for (qsizetype at = 0; at < stream.size(); at += cut)
            pieces.append(stream.sliced(at, std::min(cut, stream.size() - at)));
        checkSame(whole, feed(pieces, limit));
    }
    if (stream.size() <= 512) {
        QList<QByteArrayView> bytes;
        for (qsizetype i = 0; i < stream.size(); ++i)
            bytes.append(stream.sliced(i, 1));
        checkSame(whole, feed(bytes, limit));
    }
    return 0;
}
