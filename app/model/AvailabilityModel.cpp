#include "AvailabilityModel.h"

namespace Marquee {

using Protocol::ChannelMessage;

AvailabilityModel::AvailabilityModel(QObject *parent)
    : QObject(parent)
{
}

void AvailabilityModel::reset(const QString &event, EventKind kind)
{
    m_event = event;
    m_kind = kind;
    m_hasSnapshot = false;
    m_behind = false;
    m_version = 0;
    m_seats.clear();
    m_available = 0;
    m_capacity = 0;
    emit cleared();
}

AvailabilityModel::ApplyResult AvailabilityModel::apply(const ChannelMessage &message)
{
    if (message.type == ChannelMessage::Type::Resync)
        return ApplyResult::Invalid;
    if (message.event != m_event)
        return ApplyResult::OtherEvent;
    if (message.kind != m_kind)
        return ApplyResult::Invalid;

    if (message.type == ChannelMessage::Type::Snapshot) {
        // A snapshot is the whole truth at its version, even an older one
        // after a server restart: take it as it is.
        m_hasSnapshot = true;
        m_behind = false;
        m_version = message.version;
        if (m_kind == EventKind::Seated)
            applySeats(message.seats, true);
        else
            applyCounts(message.available, message.capacity);
        emit updated(m_version);
        return ApplyResult::Applied;
    }

    if (!m_hasSnapshot)
        return ApplyResult::Invalid;
    if (message.version <= m_version)
        return ApplyResult::Stale;
    if (m_behind)
        return ApplyResult::Gap; // still waiting for the snapshot we asked for
    if (message.version != m_version + 1) {
        // Absolute states would let us apply it, but whatever happened in the
        // missing versions to other seats would stay wrong on screen.
        m_behind = true;
        emit resyncNeeded();
        return ApplyResult::Gap;
    }

    m_version = message.version;
    if (message.type == ChannelMessage::Type::Seats)
        applySeats(message.seats, false);
    else
        applyCounts(message.available, message.capacity);
    emit updated(m_version);
    return ApplyResult::Applied;
}

std::optional<SeatState> AvailabilityModel::seatState(const QString &label) const
{
    const auto it = m_seats.constFind(label);
    if (it == m_seats.cend())
        return std::nullopt;
    return it.value();
}

void AvailabilityModel::applySeats(const QHash<QString, SeatState> &seats, bool replaceAll)
{
    if (replaceAll) {
        // Seats missing from a snapshot are unknown again, not silently kept.
        const QHash<QString, SeatState> before = m_seats;
        m_seats = seats;
        for (auto it = before.cbegin(); it != before.cend(); ++it) {
            if (!m_seats.contains(it.key()))
                emit seatChanged(it.key());
        }
        for (auto it = m_seats.cbegin(); it != m_seats.cend(); ++it) {
            const auto old = before.constFind(it.key());
            if (old == before.cend() || old.value() != it.value())
                emit seatChanged(it.key());
        }
        return;
    }
    for (auto it = seats.cbegin(); it != seats.cend(); ++it) {
        auto current = m_seats.find(it.key());
        if (current != m_seats.end() && current.value() == it.value())
            continue;
        m_seats.insert(it.key(), it.value());
        emit seatChanged(it.key());
    }
}

void AvailabilityModel::applyCounts(int available, int capacity)
{
    if (available == m_available && capacity == m_capacity)
        return;
    m_available = available;
    m_capacity = capacity;
    emit countsChanged(available, capacity);
}

} // namespace Marquee
