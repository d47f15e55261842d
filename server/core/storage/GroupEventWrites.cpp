#include "GroupEventWrites.h"

#include "EventWrites.h"

#include <algorithm>

namespace Marquee {

int GroupEventWrites::placesLeft(qint64 eventId) const
{
    const Counts counts = m_read.value(eventId);
    int left = counts.capacity - counts.held - counts.sold;
    for (const Staged &staged : m_staged) {
        if (staged.eventId == eventId)
            left -= staged.held + staged.sold;
    }
    return left;
}

void GroupEventWrites::stage(qint64 eventId, const QString &slug, bool general,
    const QHash<QString, SeatState> &seats, int heldDelta, int soldDelta)
{
    m_staged.append(
        Staged{eventId, slug, general, seats, heldDelta, soldDelta, partFor(eventId, seats)});
}

int GroupEventWrites::parts() const
{
    int parts = 0;
    for (const Staged &staged : m_staged)
        parts = std::max(parts, staged.part + 1);
    return parts;
}

int GroupEventWrites::partFor(qint64 eventId, const QHash<QString, SeatState> &seats) const
{
    int part = 0;
    for (const Staged &staged : m_staged) {
        if (staged.eventId != eventId || staged.part < part)
            continue;
        for (auto it = seats.cbegin(); it != seats.cend(); ++it) {
            if (staged.seats.contains(it.key())) {
                part = staged.part + 1;
                break;
            }
        }
    }
    return part;
}

void GroupEventWrites::mergeInto(EventWrites &writes, int part) const
{
    for (const Staged &staged : m_staged) {
        if (staged.part != part)
            continue;
        for (auto it = staged.seats.cbegin(); it != staged.seats.cend(); ++it)
            writes.seat(staged.eventId, staged.slug, it.key(), it.value());
        if (staged.general)
            writes.places(staged.eventId, staged.slug, staged.held, staged.sold);
    }
}

} // namespace Marquee
