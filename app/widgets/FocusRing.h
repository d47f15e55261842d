#pragma once

#include <QColor>
#include <QPainter>
#include <QRect>

namespace Marquee::FocusRing {

/// The web page's focus colour (resources/web/style.css, --focus), so the
/// keyboard's place looks the same at the counter and online.
inline QColor colour()
{
    return QColor(0x1d, 0x4e, 0xd8);
}

/// A ring inside \a area for a widget whose style shows no focus of its own
/// (the seat map, the event list): the clerk must see where the keys go.
inline void paint(QPainter &painter, const QRect &area)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(colour(), 3));
    painter.drawRect(area.adjusted(1, 1, -2, -2));
    painter.restore();
}

} // namespace Marquee::FocusRing
