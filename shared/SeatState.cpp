#include "SeatState.h"

namespace Marquee {

QString seatStateName(SeatState state)
{
    switch (state) {
    case SeatState::Available:
        return QStringLiteral("available");
    case SeatState::Held:
        return QStringLiteral("held");
    case SeatState::Sold:
        return QStringLiteral("sold");
    case SeatState::Blocked:
        return QStringLiteral("blocked");
    }
    Q_UNREACHABLE();
}

std::optional<SeatState> seatStateFromString(const QString &text)
{
    for (auto state :
        {SeatState::Available, SeatState::Held, SeatState::Sold, SeatState::Blocked}) {
        if (text == seatStateName(state))
            return state;
    }
    return std::nullopt;
}

QString eventKindName(EventKind kind)
{
    return kind == EventKind::Seated ? QStringLiteral("seated") : QStringLiteral("general");
}

std::optional<EventKind> eventKindFromString(const QString &text)
{
    if (text == QLatin1String("seated"))
        return EventKind::Seated;
    if (text == QLatin1String("general"))
        return EventKind::General;
    return std::nullopt;
}

} // namespace Marquee
