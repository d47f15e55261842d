#include "SeatPalette.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>

namespace Marquee {

SeatPalette::Entry SeatPalette::entry(SeatLook look)
{
    switch (look) {
    case SeatLook::Available:
        return {QColor(0x86, 0xef, 0xac), QColor(0x15, 0x80, 0x3d), QColor(0x14, 0x53, 0x2d)};
    case SeatLook::Selected:
        return {QColor(0x25, 0x63, 0xeb), QColor(0x1e, 0x3a, 0x8a), QColor(Qt::white)};
    case SeatLook::InThisSale:
        return {QColor(0xdb, 0x27, 0x77), QColor(0x83, 0x18, 0x43), QColor(Qt::white)};
    case SeatLook::Held:
        return {QColor(0xfb, 0xbf, 0x24), QColor(0xb4, 0x53, 0x09), QColor(0x78, 0x35, 0x0f)};
    case SeatLook::Sold:
        return {QColor(0xd1, 0xd5, 0xdb), QColor(0x9c, 0xa3, 0xaf), QColor(0x6b, 0x72, 0x80)};
    case SeatLook::Blocked:
        return {QColor(0x37, 0x41, 0x51), QColor(0x11, 0x18, 0x27), QColor(0x9c, 0xa3, 0xaf)};
    case SeatLook::Unknown:
        break;
    }
    return {QColor(0xf3, 0xf4, 0xf6), QColor(0xd1, 0xd5, 0xdb), QColor(0x9c, 0xa3, 0xaf)};
}

void SeatPalette::paintMark(QPainter &painter, const QRectF &disc, SeatLook look, bool numbered)
{
    // The web page's marks are drawn in a unit square over the seat.
    const auto at = [&disc](qreal x, qreal y) {
        return QPointF(disc.left() + x * disc.width(), disc.top() + y * disc.height());
    };
    const qreal unit = disc.width();
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(Qt::NoBrush);
    switch (look) {
    case SeatLook::Held: {
        QPainterPath clip;
        clip.addEllipse(disc);
        painter.setClipPath(clip, Qt::IntersectClip);
        painter.setPen(QPen(entry(look).outline, 0.1 * unit));
        painter.drawLine(at(0, .35), at(.35, 0));
        painter.drawLine(at(0, .75), at(.75, 0));
        painter.drawLine(at(.25, 1), at(1, .25));
        painter.drawLine(at(.65, 1), at(1, .65));
        break;
    }
    case SeatLook::Blocked:
        painter.setPen(QPen(entry(look).text, 0.1 * unit, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(at(.3, .3), at(.7, .7));
        painter.drawLine(at(.7, .3), at(.3, .7));
        break;
    case SeatLook::Selected:
        if (!numbered) {
            painter.setPen(
                QPen(Qt::white, 0.13 * unit, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            painter.drawPolyline(QList<QPointF>{at(.27, .52), at(.44, .68), at(.74, .34)});
        }
        break;
    case SeatLook::InThisSale:
        if (!numbered) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(Qt::white);
            painter.drawEllipse(at(.5, .5), 0.17 * unit, 0.17 * unit);
        }
        break;
    default:
        break;
    }
    painter.restore();
}

QString SeatPalette::name(SeatLook look)
{
    const char *text = "";
    switch (look) {
    case SeatLook::Unknown:
        text = QT_TRANSLATE_NOOP("Marquee::SeatPalette", "Loading");
        break;
    case SeatLook::Available:
        text = QT_TRANSLATE_NOOP("Marquee::SeatPalette", "Available");
        break;
    case SeatLook::Selected:
        text = QT_TRANSLATE_NOOP("Marquee::SeatPalette", "Selected");
        break;
    case SeatLook::InThisSale:
        text = QT_TRANSLATE_NOOP("Marquee::SeatPalette", "In this sale");
        break;
    case SeatLook::Held:
        text = QT_TRANSLATE_NOOP("Marquee::SeatPalette", "Held");
        break;
    case SeatLook::Sold:
        text = QT_TRANSLATE_NOOP("Marquee::SeatPalette", "Sold");
        break;
    case SeatLook::Blocked:
        text = QT_TRANSLATE_NOOP("Marquee::SeatPalette", "Blocked");
        break;
    }
    return QCoreApplication::translate("Marquee::SeatPalette", text);
}

QList<SeatLook> SeatPalette::legendOrder()
{
    return {SeatLook::Available, SeatLook::Selected, SeatLook::InThisSale, SeatLook::Held,
        SeatLook::Sold, SeatLook::Blocked};
}

} // namespace Marquee
