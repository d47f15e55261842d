// The channel codec and the hold request: what a browser, the counter app or
// another server can put on the wire. Besides memory and undefined-behaviour
// errors (the sanitizers), it checks that whatever the decoder accepts it
// would also produce: re-encoding a decoded message gives the same message,
// with the same numbers the input carried.
#include "FuzzCheck.h"
#include "Protocol.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

using namespace Marquee;
using namespace Marquee::Protocol;

namespace {

bool sameMessage(const ChannelMessage &a, const ChannelMessage &b)
{
    if (a.type != b.type)
        return false;
    if (a.type == ChannelMessage::Type::Resync)
        return true;
    return a.event == b.event && a.version == b.version && a.kind == b.kind && a.seats == b.seats
        && a.available == b.available && a.capacity == b.capacity;
}

void checkChannelMessage(const QByteArray &input)
{
    const auto message = decodeChannelMessage(input);
    if (!message)
        return;
    const auto again = decodeChannelMessage(encode(*message));
    FUZZ_CHECK(again && sameMessage(*message, *again));
    if (message->type == ChannelMessage::Type::Resync)
        return;
    // A decoded version is the number that was sent, not a rounded one: a
    // client orders updates by it.
    const QJsonObject object = QJsonDocument::fromJson(input).object();
    FUZZ_CHECK(double(message->version) == object.value(QLatin1String("version")).toDouble());
    FUZZ_CHECK(isValidSlug(message->event));
    if (message->kind == EventKind::General)
        FUZZ_CHECK(message->available >= 0 && message->available <= message->capacity);
    for (auto it = message->seats.cbegin(); it != message->seats.cend(); ++it)
        FUZZ_CHECK(isValidSeatLabel(it.key()));
}

void checkHoldRequest(const QByteArray &input)
{
    const HoldRequestLimits limits;
    QString error;
    const auto request = decodeHoldRequest(input, limits, &error);
    FUZZ_CHECK(request.has_value() == error.isEmpty());
    if (!request)
        return;
    FUZZ_CHECK(isValidSlug(request->event));
    FUZZ_CHECK(request->seats.isEmpty() != (request->quantity == 0));
    FUZZ_CHECK(request->quantity >= 0 && request->quantity <= limits.maxQuantity);
    FUZZ_CHECK(request->seats.size() <= limits.maxSeats);
    const QSet<QString> unique(request->seats.cbegin(), request->seats.cend());
    FUZZ_CHECK(unique.size() == request->seats.size());
    for (const QString &seat : request->seats)
        FUZZ_CHECK(isValidSeatLabel(seat));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    checkChannelMessage(input);
    checkHoldRequest(input);
    return 0;
}
