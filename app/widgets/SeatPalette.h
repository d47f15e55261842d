#pragma once

#include <QColor>

class QPainter;
class QRectF;
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
    /// The look's mark inside \a disc, as the web page draws it (its
    /// #mark-* patterns), so that a state reads without its colour too:
    /// hatched held, a cross blocked, a tick selected and a dot for this
    /// sale. With \a numbered the seat shows its number, and only the
    /// marks that leave it readable are drawn.
    static void paintMark(QPainter &painter, const QRectF &disc, SeatLook look, bool numbered);
    static QString name(SeatLook look);
    /// The looks a clerk needs explained, in legend order.
    static QList<SeatLook> legendOrder();
};

} // namespace Marquee
