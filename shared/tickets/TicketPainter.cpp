#include "TicketPainter.h"

#include "QrCode.h"
#include "TicketText.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>

#include <cmath>

namespace Marquee {

namespace {

const QColor accent(0x1d, 0x35, 0x57);
const QColor ink(0x14, 0x18, 0x1f);
const QColor secondary(0x4f, 0x58, 0x63);
const QColor faint(0x85, 0x8d, 0x97);
const QColor edge(0xb4, 0xba, 0xc2);

// Lengths are in "ticket units": 1/180 of the ticket's width (a millimetre
// when the ticket is printed 180 mm wide).
struct Frame
{
    QRectF rect;
    qreal u = 1;
    qreal at(qreal units) const { return units * u; }
};

QFont font(const Frame &f, qreal units, bool bold = false, bool mono = false)
{
    QFont result(mono ? QStringLiteral("DejaVu Sans Mono") : QStringLiteral("DejaVu Sans"));
    result.setStyleHint(mono ? QFont::Monospace : QFont::SansSerif);
    result.setPixelSize(qMax(1, qRound(f.at(units))));
    result.setBold(bold);
    return result;
}

// Draws one line (elided to the width) with its top at y; returns the y below it.
qreal drawLine(QPainter &p, const QFont &fnt, const QColor &color, qreal x, qreal y, qreal width,
    const QString &text)
{
    const QFontMetricsF metrics(fnt, p.device());
    p.setFont(fnt);
    p.setPen(color);
    p.drawText(QRectF(x, y, width, metrics.height()), Qt::AlignLeft | Qt::AlignTop,
        metrics.elidedText(text, Qt::ElideRight, width));
    return y + metrics.height();
}

// The outline with a half-circle notch at each end of the tear line, so the
// stub reads as something to tear off.
QPainterPath outline(const Frame &f, qreal tearX)
{
    QPainterPath shape;
    shape.addRoundedRect(f.rect, f.at(3), f.at(3));
    QPainterPath notches;
    const qreal r = f.at(3);
    notches.addEllipse(QPointF(tearX, f.rect.top()), r, r);
    notches.addEllipse(QPointF(tearX, f.rect.bottom()), r, r);
    return shape.subtracted(notches);
}

void paintCard(QPainter &p, const Frame &f, qreal tearX)
{
    const QPainterPath shape = outline(f, tearX);
    p.setPen(QPen(edge, f.at(0.35)));
    p.setBrush(Qt::white);
    p.drawPath(shape);
    // The accent band on the left edge, clipped to the rounded outline.
    p.save();
    p.setClipPath(shape);
    p.fillRect(QRectF(f.rect.left(), f.rect.top(), f.at(4), f.rect.height()), accent);
    p.restore();
    QPen tear(edge, f.at(0.35), Qt::CustomDashLine);
    tear.setDashPattern({4, 3});
    p.setPen(tear);
    p.drawLine(QPointF(tearX, f.rect.top() + f.at(4)), QPointF(tearX, f.rect.bottom() - f.at(4)));
}

// A small upper-case label above a value; returns the y below the value.
qreal drawField(QPainter &p, const Frame &f, qreal x, qreal y, qreal width, const QString &label,
    const QString &value)
{
    QFont small = font(f, 2.5, true);
    small.setLetterSpacing(QFont::PercentageSpacing, 112);
    y = drawLine(p, small, faint, x, y, width, label.toUpper());
    return drawLine(p, font(f, 4.2, true), ink, x, y + f.at(0.6), width, value);
}

// Where the first line of text wrapped into width ends; -1 when it all fits.
qsizetype firstLineEnd(const QString &text, const QFont &fnt, QPaintDevice *device, qreal width)
{
    QTextLayout layout(text, fnt, device);
    QTextOption option;
    option.setWrapMode(QTextOption::WordWrap);
    layout.setTextOption(option);
    layout.beginLayout();
    QTextLine first = layout.createLine();
    first.setLineWidth(width);
    const qsizetype end = first.textStart() + first.textLength();
    layout.endLayout();
    return end >= text.size() ? -1 : end;
}

// The event's name, two lines at most: a long name gets a smaller size
// first, and only then loses its end to an ellipsis.
qreal drawEventName(QPainter &p, const Frame &f, qreal x, qreal y, qreal width, const QString &name)
{
    for (qreal size = 7.5;; size -= 0.5) {
        const QFont fnt = font(f, size, true);
        const QFontMetricsF metrics(fnt, p.device());
        const qsizetype split = firstLineEnd(name, fnt, p.device(), width);
        const QString rest = split < 0 ? QString() : name.mid(split).trimmed();
        if (size > 5 && metrics.horizontalAdvance(rest) > width)
            continue;
        y = drawLine(p, fnt, ink, x, y, width, split < 0 ? name : name.left(split).trimmed());
        return rest.isEmpty() ? y : drawLine(p, fnt, ink, x, y, width, rest);
    }
}

void paintDetails(QPainter &p, const Frame &f, qreal right, const TicketView &t)
{
    const qreal x = f.rect.left() + f.at(12);
    const qreal width = right - x;
    QFont label = font(f, 2.6, true);
    label.setLetterSpacing(QFont::PercentageSpacing, 130);
    qreal y = drawLine(
        p, label, accent, x, f.rect.top() + f.at(8), width, TicketPainter::tr("ADMIT ONE"));
    y = drawEventName(p, f, x, y + f.at(1.5), width, t.eventName);
    y = drawLine(p, font(f, 3.8), secondary, x, y + f.at(1), width, t.venue);
    y += f.at(3.5);
    p.setPen(QPen(edge, f.at(0.25)));
    p.drawLine(QPointF(x, y), QPointF(right, y));
    y += f.at(3.5);

    // The left column holds the longer values ("General admission",
    // the date), so it gets more room.
    const qreal column = width * 0.54;
    const qreal x2 = x + column;
    const qreal column2 = width - column;
    qreal next
        = drawField(p, f, x, y, column - f.at(3), TicketPainter::tr("Date"), TicketText::date(t));
    drawField(p, f, x2, y, column2, TicketPainter::tr("Time"), TicketText::time(t));
    y = next + f.at(3);
    next = drawField(p, f, x, y, column - f.at(3), TicketPainter::tr("Seat"), TicketText::seat(t));
    drawField(p, f, x2, y, column2, TicketPainter::tr("Category"), t.category);
    y = next + f.at(3);
    drawField(p, f, x, y, column - f.at(3), TicketPainter::tr("Price"),
        TicketText::price(t.price, t.currency));
    if (!t.buyer.isEmpty())
        drawField(p, f, x2, y, column2, TicketPainter::tr("Name"), t.buyer);

    const QFont small = font(f, 2.6);
    const qreal bottom = f.rect.bottom() - f.at(6) - QFontMetricsF(small, p.device()).height();
    drawLine(p, small, faint, x, bottom, width, TicketPainter::tr("Order %1").arg(t.order));
}

void paintQr(QPainter &p, const QRectF &box, const QrCode &qr)
{
    // Whole device pixels per module where there are enough of them, so a
    // raster rendering has no uneven modules for a scanner to trip over.
    qreal module = box.width() / qr.size();
    if (module >= 3)
        module = std::floor(module);
    const QPointF origin = box.center() - QPointF(module * qr.size(), module * qr.size()) / 2;
    QPainterPath modules;
    for (int y = 0; y < qr.size(); ++y) {
        for (int x = 0; x < qr.size();) {
            int run = 0;
            while (qr.dark(x + run, y))
                ++run;
            if (run > 0)
                modules.addRect(
                    origin.x() + x * module, origin.y() + y * module, run * module, module);
            x += qMax(run, 1);
        }
    }
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    p.fillPath(modules, Qt::black);
    p.restore();
}

void paintStub(QPainter &p, const Frame &f, qreal tearX, const TicketView &t)
{
    const qreal side = f.at(46);
    const qreal x = tearX + (f.rect.right() - tearX - side) / 2;
    // About centred on the stub together with the code and the hint below.
    const QRectF qrBox(x, f.rect.top() + f.at(12), side, side);
    if (const auto qr = QrCode::encode(t.code.toUtf8()))
        paintQr(p, qrBox, *qr);
    const QFont mono = font(f, 2.3, false, true);
    p.setFont(mono);
    p.setPen(secondary);
    // 6 units below: the QR's quiet zone of 4 modules stays free of text.
    // The code is a fallback for a scanner that fails: typed in, it finds the
    // ticket just as well, so it wraps anywhere rather than being cut.
    const qreal lines = 2 * QFontMetricsF(mono, p.device()).height();
    p.drawText(QRectF(x, qrBox.bottom() + f.at(6), side, lines),
        Qt::AlignHCenter | Qt::AlignTop | Qt::TextWrapAnywhere, t.code);
    QFont hint = font(f, 2.4, true);
    hint.setLetterSpacing(QFont::PercentageSpacing, 115);
    p.setFont(hint);
    p.setPen(faint);
    p.drawText(QRectF(x, qrBox.bottom() + f.at(7) + lines, side, f.at(5)), Qt::AlignHCenter,
        TicketPainter::tr("SCAN AT THE ENTRANCE"));
}

} // namespace

void TicketPainter::paint(QPainter &painter, const QRectF &area, const TicketView &ticket)
{
    QSizeF size(area.width(), area.width() / aspectRatio);
    if (size.height() > area.height())
        size = QSizeF(area.height() * aspectRatio, area.height());
    const QRectF fitted(area.center() - QPointF(size.width(), size.height()) / 2, size);
    // Inset by half the outline's pen, so the outline is not cut at the area's edge.
    const qreal inset = fitted.width() / 180 * 0.35 / 2;
    const QRectF rect = fitted.adjusted(inset, inset, -inset, -inset);
    const Frame f{rect, rect.width() / 180};
    const qreal tearX = rect.right() - f.at(62);

    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    paintCard(painter, f, tearX);
    paintDetails(painter, f, tearX - f.at(8), ticket);
    paintStub(painter, f, tearX, ticket);
    painter.restore();
}

} // namespace Marquee
