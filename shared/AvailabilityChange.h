#pragma once

#include "SeatState.h"

#include <QHash>
#include <QList>
#include <QString>

namespace Marquee {

/// What one committed transaction did to one event's availability, in
/// absolute terms, with the event's version after the commit. Produced on the
/// storage thread, applied and announced by the realtime layer.
struct AvailabilityChange
{
    QString event;
    EventKind kind = EventKind::Seated;
    qint64 version = 0;
    QHash<QString, SeatState> seats; ///< seated: the seats that changed
    int available = 0; ///< general admission, after the change
    int capacity = 0;
};

using AvailabilityChanges = QList<AvailabilityChange>;

} // namespace Marquee
