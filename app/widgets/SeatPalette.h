#pragma once

#include <QColor>
#include <QList>
#include <QString>

namespace Marquee {

/// How a seat looks on the counter's map: the server's state plus what this
/// counter knows about it (selected now, held by this sale).
enum class SeatLook
{
    Unknown,
    Available,
    Selected,
    InThisSale,
    Held,
    Sold,
    Blocked
};

/// The one place that decides seat colours, shared by the map and the legend
/// so the two can never disagree. Colours differ in lightness as well as hue,
/// so they stay apart for colour-blind clerks and on a washed-out screen.
struct SeatPalette
{
    struct Entry
    {
        QColor fill;
        QColor outline;
        QColor text;
    };

    static Entry entry(SeatLook look);
    static QString name(SeatLook look);
    /// The looks a clerk needs explained, in legend order.
    static QList<SeatLook> legendOrder();
};

} // namespace Marquee
