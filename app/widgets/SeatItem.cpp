#include "SeatItem.h"

#include <QCursor>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace Marquee {

namespace {
// Outline widths in plan units: a selected seat's ring is heavier so the
// selection reads even without colour.
constexpr qreal Outline = 1.2;
constexpr qreal SelectedOutline = 2.4;
} // namespace

SeatItem::SeatItem(const QString &label, const QString &number, const QRectF &bounds)
    : m_label(label)
    , m_number(number)
    , m_bounds(bounds)
{
    setAcceptHoverEvents(true);
    updateToolTip();
}

QRectF SeatItem::boundingRect() const
{
    const qreal grow = SelectedOutline / 2;
    return m_bounds.adjusted(-grow, -grow, grow, grow);
}

QPainterPath SeatItem::shape() const
{
    QPainterPath path;
    path.addEllipse(m_bounds);
    return path;
}

void SeatItem::setLook(SeatLook look)
{
    if (look == m_look)
        return;
    m_look = look;
    m_stateNote.clear();
    const bool clickable = look == SeatLook::Available || look == SeatLook::Selected;
    if (clickable)
        setCursor(Qt::PointingHandCursor);
    else
        unsetCursor();
    updateToolTip();
    update();
}

void SeatItem::setPriceText(const QString &text)
{
    m_priceText = text;
    updateToolTip();
}

void SeatItem::setStateNote(const QString &text)
{
    m_stateNote = text;
    updateToolTip();
}

void SeatItem::updateToolTip()
{
    QString tip = m_label;
    if (!m_priceText.isEmpty())
        tip += QStringLiteral(" · ") + m_priceText;
    tip += u'\n' + SeatPalette::name(m_look);
    if (!m_stateNote.isEmpty())
        tip += u' ' + m_stateNote;
    setToolTip(tip);
}

void SeatItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const SeatPalette::Entry colours = SeatPalette::entry(m_look);
    const bool selected = m_look == SeatLook::Selected || m_look == SeatLook::InThisSale;
    const qreal outline = selected ? SelectedOutline : Outline;
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(colours.outline, outline));
    painter->setBrush(colours.fill);
    const qreal inset = outline / 2;
    const QRectF disc = m_bounds.adjusted(inset, inset, -inset, -inset);
    painter->drawEllipse(disc);

    // Numbers only when they are big enough to read; otherwise they are noise.
    const qreal pixels
        = m_bounds.height() * option->levelOfDetailFromTransform(painter->worldTransform());
    const bool numbered = !m_number.isEmpty() && pixels >= 16 && m_look != SeatLook::Blocked;
    // The state's mark as well as its colour, for whoever cannot tell them apart.
    SeatPalette::paintMark(*painter, disc, m_look, numbered);
    if (!numbered)
        return;
    QFont font = painter->font();
    font.setPointSizeF(m_bounds.height() * (m_number.size() > 2 ? 0.36 : 0.46));
    font.setBold(selected);
    painter->setFont(font);
    painter->setPen(colours.text);
    painter->drawText(m_bounds, Qt::AlignCenter, m_number);
}

} // namespace Marquee
