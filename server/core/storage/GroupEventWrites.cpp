#include "GroupEventWrites.h"

#include "EventWrites.h"

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
    m_staged.append(Staged{eventId, slug, general, seats, heldDelta, soldDelta});
}

void GroupEventWrites::mergeInto(EventWrites &writes) const
{
    for (const Staged &staged : m_staged) {
        for (auto it = staged.seats.cbegin(); it != staged.seats.cend(); ++it)
            writes.seat(staged.eventId, staged.slug, it.key(), it.value());
        if (staged.general)
            writes.places(staged.eventId, staged.slug, staged.held, staged.sold);
    }
}

} // namespace Marquee
