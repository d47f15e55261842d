#include "TicketPdf.h"

#include "TicketPainter.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

namespace Marquee {

namespace {

const QColor ink(0x14, 0x18, 0x1f);
const QColor secondary(0x4f, 0x58, 0x63);
const QColor rule(0xd5, 0xd9, 0xde);

QFont pageFont(qreal mm, qreal size, bool bold = false)
{
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setStyleHint(QFont::SansSerif);
    font.setPixelSize(qMax(1, qRound(size * mm)));
    font.setBold(bold);
    return font;
}

// What a buyer should know, under the ticket; kept short so it gets read.
void paintAdvice(QPainter &p, const QRectF &box, qreal mm)
{
    const QStringList lines = {
        TicketPdf::tr("Bring this page printed, or show it on your phone at full brightness."),
        TicketPdf::tr("The code is checked once at the entrance: a copy does not admit a "
                      "second person, so keep it to yourself."),
        TicketPdf::tr("The time shown is the venue's local time."),
    };
    qreal y = box.top();
    p.setPen(ink);
    p.setFont(pageFont(mm, 4, true));
    p.drawText(
        QRectF(box.left(), y, box.width(), 6 * mm), Qt::AlignLeft, TicketPdf::tr("Good to know"));
    y += 8 * mm;
    const QFont text = pageFont(mm, 3.4);
    p.setFont(text);
    p.setPen(secondary);
    for (const QString &line : lines) {
        const QRectF bullet(box.left(), y, 4 * mm, 5 * mm);
        p.drawText(bullet, Qt::AlignLeft | Qt::AlignTop, QStringLiteral("•"));
        const QRectF body(box.left() + 5 * mm, y, box.width() - 5 * mm, 20 * mm);
        QRectF used;
        p.drawText(body, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, line, &used);
        y = used.bottom() + 2.5 * mm;
    }
}

} // namespace

void TicketPdf::paintPage(QPainter &painter, const QRectF &page, const TicketView &ticket,
    const QString &title, int index, int count)
{
    const qreal mm = page.width() / 210;
    const QRectF content = page.adjusted(15 * mm, 15 * mm, -15 * mm, -15 * mm);
    painter.save();
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.fillRect(page, Qt::white);

    const QRectF header(content.left(), content.top(), content.width(), 8 * mm);
    painter.setPen(ink);
    painter.setFont(pageFont(mm, 5, true));
    const QString counter = tr("Ticket %1 of %2").arg(index + 1).arg(count);
    const QFont small = pageFont(mm, 3.4);
    const qreal counterWidth = QFontMetricsF(small, painter.device()).horizontalAdvance(counter);
    const QRectF titleBox = header.adjusted(0, 0, -counterWidth - 6 * mm, 0);
    painter.drawText(titleBox, Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetricsF(painter.font(), painter.device())
            .elidedText(title, Qt::ElideRight, titleBox.width()));
    painter.setFont(small);
    painter.setPen(secondary);
    painter.drawText(header, Qt::AlignRight | Qt::AlignVCenter, counter);
    painter.setPen(QPen(rule, 0.3 * mm));
    painter.drawLine(QPointF(content.left(), header.bottom() + 3 * mm),
        QPointF(content.right(), header.bottom() + 3 * mm));

    const QRectF ticketBox(content.left(), header.bottom() + 10 * mm, content.width(),
        content.width() / TicketPainter::aspectRatio);
    TicketPainter::paint(painter, ticketBox, ticket);
    paintAdvice(painter,
        QRectF(content.left() + 2 * mm, ticketBox.bottom() + 12 * mm, content.width() - 4 * mm,
            60 * mm),
        mm);

    painter.restore();
}

QByteArray TicketPdf::render(const QList<TicketView> &tickets, const QString &title)
{
    if (tickets.isEmpty())
        return {};
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setResolution(300); // sharp QR modules and text when printed
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageOrientation(QPageLayout::Portrait);
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setTitle(title);
        writer.setCreator(QStringLiteral("Marquee"));
        QPainter painter(&writer);
        const QRectF page(QPointF(0, 0), QSizeF(writer.width(), writer.height()));
        for (int i = 0; i < tickets.size(); ++i) {
            if (i > 0)
                writer.newPage();
            paintPage(painter, page, tickets.at(i), title, i, int(tickets.size()));
        }
        painter.end(); // the PDF is complete only once the painter ends
    }
    return bytes;
}

} // namespace Marquee
