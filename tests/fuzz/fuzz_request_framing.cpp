// The framing judge (RequestFraming) over the raw bytes of one connection,
// as the sockets hand them on: in pieces of any size. Input: byte 0 picks
// the request size limit, byte 1 the number of cut lengths (0 to 7), then
// those lengths, one byte each; the rest is the connection's bytes, cut into
// pieces of those lengths, over and over to the end. The same bytes are fed
// whole, in those pieces and (up to 512 bytes) one byte at a time: where TCP
// happens to split them must not change the verdict or the heads.
#include "FuzzCheck.h"
#include "RequestFraming.h"

#include <algorithm>

using namespace Marquee;

namespace {

struct Run
{
    bool refused = false;
    QList<RequestFraming::Head> heads;
};

bool sameHead(const RequestFraming::Head &a, const RequestFraming::Head &b)
{
    return a.index == b.index && a.contentLength == b.contentLength && a.closeAfter == b.closeAfter
        && a.expectsContinue == b.expectsContinue;
}

/// Feeds \a pieces in order, checking what the judge promises of each step.
Run feed(const QList<QByteArrayView> &pieces, qint64 limit)
{
    RequestFraming framing(limit);
    Run run;
    for (const QByteArrayView piece : pieces) {
        const qsizetype before = run.heads.size();
        const bool wasDone = run.refused || framing.upgraded();
        const auto refusal = framing.feed(piece, &run.heads);
        if (wasDone) {
            // After a refusal or an upgrade nothing more is judged.
            FUZZ_CHECK(!refusal);
            FUZZ_CHECK(run.heads.size() == before);
            continue;
        }
        if (refusal) {
            FUZZ_CHECK(refusal->status == 400 || refusal->status == 413 || refusal->status == 417);
            FUZZ_CHECK(!refusal->reason.isEmpty() && !refusal->code.isEmpty()
                && !refusal->message.isEmpty());
            run.refused = true;
        }
    }
    for (qsizetype i = 0; i < run.heads.size(); ++i) {
        const RequestFraming::Head &head = run.heads.at(i);
        FUZZ_CHECK(head.index == quint64(i));
        FUZZ_CHECK(head.contentLength >= 0 && head.contentLength <= limit);
        FUZZ_CHECK(!head.expectsContinue || head.contentLength > 0);
    }
    return run;
}

void checkSame(const Run &a, const Run &b)
{
    FUZZ_CHECK(a.refused == b.refused);
    FUZZ_CHECK(a.heads.size() == b.heads.size());
    FUZZ_CHECK(std::equal(a.heads.cbegin(), a.heads.cend(), b.heads.cbegin(), sameHead));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static constexpr qint64 limits[] = {32, 100, 512, 4096, 80 * 1024};
    if (size < 2)
        return 0;
    const qint64 limit = limits[data[0] % (sizeof limits / sizeof limits[0])];
    const size_t cuts = std::min<size_t>(data[1] % 8, size - 2);
    const QByteArrayView stream(
        reinterpret_cast<const char *>(data) + 2 + cuts, qsizetype(size - 2 - cuts));

    // The lengths again and again, so a long input is cut all along; an
    // empty piece is fed as one. Lengths all 0: one piece.
    QList<QByteArrayView> pieces;
    qsizetype sum = 0;
    for (size_t i = 0; i < cuts; ++i)
        sum += data[2 + i];
    for (qsizetype at = 0, i = 0; sum > 0 && at < stream.size(); i = (i + 1) % qsizetype(cuts)) {
        const qsizetype length = std::min<qsizetype>(data[2 + i], stream.size() - at);
        pieces.append(stream.sliced(at, length));
        at += length;
    }
    if (sum == 0)
        pieces.append(stream);

    const Run whole = feed({stream}, limit);
    checkSame(whole, feed(pieces, limit));
    // Every cut at once; one feed per byte costs as much as all the rest
    // for long inputs, which the cuts above split instead.
    if (stream.size() <= 512) {
        QList<QByteArrayView> bytes;
        for (qsizetype i = 0; i < stream.size(); ++i)
            bytes.append(stream.sliced(i, 1));
        checkSame(whole, feed(bytes, limit));
    }
    return 0;
}
