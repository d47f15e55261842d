#include "AvailabilityStore.h"

namespace Marquee {

using Protocol::ChannelMessage;

void AvailabilityStore::load(const AvailabilityChanges &full)
{
    m_events.clear();
    m_encoded.clear();
    for (const AvailabilityChange &event : full)
        m_events.insert(event.event, event);
}

std::optional<ChannelMessage> AvailabilityStore::apply(const AvailabilityChange &change)
{
    auto it = m_events.find(change.event);
    if (it == m_events.end() || change.version <= it->version)
        return std::nullopt;
    it->version = change.version;
    if (change.kind == EventKind::General) {
        it->available = change.available;
        it->capacity = change.capacity;
        return ChannelMessage::availabilityUpdate(
            change.event, change.version, change.available, change.capacity);
    }
    for (auto seat = change.seats.cbegin(); seat != change.seats.cend(); ++seat)
        it->seats.insert(seat.key(), seat.value());
    return ChannelMessage::seatUpdate(change.event, change.version, change.seats);
}

QByteArray AvailabilityStore::encodedSnapshot(const QString &event) const
{
    const auto it = m_events.constFind(event);
    if (it == m_events.cend())
        return {};
    Encoded &cached = m_encoded[event];
    if (cached.version != it->version) {
        cached.bytes = Protocol::encode(*snapshot(event));
        cached.version = it->version;
    }
    return cached.bytes;
}

qint64 AvailabilityStore::version(const QString &event) const
{
    const auto it = m_events.constFind(event);
    return it == m_events.cend() ? -1 : it->version;
}

std::optional<ChannelMessage> AvailabilityStore::snapshot(const QString &event) const
{
    const auto it = m_events.constFind(event);
    if (it == m_events.cend())
        return std::nullopt;
    if (it->kind == EventKind::General)
        return ChannelMessage::snapshotGeneral(it->event, it->version, it->available, it->capacity);
    return ChannelMessage::snapshotSeated(it->event, it->version, it->seats);
}

} // namespace Marquee
