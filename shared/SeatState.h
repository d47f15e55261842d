#pragma once

#include <QString>
#include <optional>

namespace Marquee {

/// The one state every seat of a seated event is in, as the channel and the
/// API spell it.
enum class SeatState
{
    Available,
    Held,
    Sold,
    Blocked
};

/// Seated events have a floor plan; general-admission events only a capacity.
enum class EventKind
{
    Seated,
    General
};

QString seatStateName(SeatState state);
std::optional<SeatState> seatStateFromString(const QString &text);

QString eventKindName(EventKind kind);
std::optional<EventKind> eventKindFromString(const QString &text);

} // namespace Marquee
