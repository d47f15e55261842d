// The SVG plan reader: plans come from the editor, from files a venue sends,
// and from hand-drawn SVG. Besides memory and undefined-behaviour errors, it
// checks what the reader promises its callers (the server stores the seats,
// the clients draw them): an accepted plan has a real size and unique, valid
// seat labels, and reading back what toSvg() writes gives the same seats.
#include "FloorPlan.h"
#include "FuzzCheck.h"
#include "Protocol.h"

#include <QSet>
#include <cmath>

using namespace Marquee;

namespace {

bool sameSeats(const FloorPlan &a, const FloorPlan &b)
{
    if (a.seats.size() != b.seats.size())
        return false;
    for (qsizetype i = 0; i < a.seats.size(); ++i) {
        const FloorPlan::Seat &x = a.seats.at(i);
        const FloorPlan::Seat &y = b.seats.at(i);
        if (x.label != y.label || x.number != y.number)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto plan = FloorPlan::fromSvg(input, &error);
    FUZZ_CHECK(plan.has_value() == error.isEmpty());
    if (!plan)
        return 0;
    FUZZ_CHECK(std::isfinite(plan->width) && plan->width > 0);
    FUZZ_CHECK(std::isfinite(plan->height) && plan->height > 0);
    QSet<QString> labels;
    for (const FloorPlan::Seat &seat : plan->seats) {
        FUZZ_CHECK(Protocol::isValidSeatLabel(seat.label));
        FUZZ_CHECK(!labels.contains(seat.label));
        labels.insert(seat.label);
        FUZZ_CHECK(std::isfinite(seat.position.x()) && std::isfinite(seat.position.y()));
    }
    const auto again = FloorPlan::fromSvg(plan->toSvg());
    FUZZ_CHECK(again && sameSeats(*plan, *again));
    return 0;
}
