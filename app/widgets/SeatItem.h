#pragma once

#include "SeatPalette.h"

#include <QGraphicsItem>

namespace Marquee {

/// One seat drawn over the plan: a disc in the seat's state colour with its
/// number, placed exactly over the seat's circle in the SVG. It only paints;
/// the SeatMapView decides what a click means.
class SeatItem : public QGraphicsItem
{
public:
    enum
    {
        Type = UserType + 1
    };

    SeatItem(const QString &label, const QString &number, const QRectF &bounds);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    QString label() const { return m_label; }
    SeatLook look() const { return m_look; }
    void setLook(SeatLook look);
    /// "Stalls · 45.00 EUR", shown in the tooltip.
    void setPriceText(const QString &text);
    /// A line under the state in the tooltip ("until 21:41"); cleared when
    /// the look changes.
    void setStateNote(const QString &text);

private:
    void updateToolTip();

    QString m_label;
    QString m_number;
    QRectF m_bounds;
    SeatLook m_look = SeatLook::Unknown;
    QString m_priceText;
    QString m_stateNote;
};

} // namespace Marquee
