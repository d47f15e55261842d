#pragma once

#include "TicketView.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QRectF>

class QPainter;

namespace Marquee {

/// The PDF a buyer gets for an order: A4 portrait at 300 dpi, one ticket per
/// page with a header and a few lines on how to use it.
///
/// Needs a QGuiApplication at run time (fonts and the PDF engine come from
/// Qt Gui); a server starts one with QT_QPA_PLATFORM=offscreen, set with
/// qputenv before the application object exists. render() shares nothing
/// between calls, so it may run on a worker thread (Qt paints on a
/// QPdfWriter outside the GUI thread) while that application object lives.
class TicketPdf
{
    Q_DECLARE_TR_FUNCTIONS(Marquee::TicketPdf)

public:
    /// The PDF document; title becomes the document's title and is printed
    /// at the top of every page. No tickets give an empty QByteArray.
    static QByteArray render(const QList<TicketView> &tickets, const QString &title);

    /// One page (index counts from 0) into page, the whole A4 sheet in device
    /// units: what render() draws, open for previews and screenshots.
    static void paintPage(QPainter &painter, const QRectF &page, const TicketView &ticket,
        const QString &title, int index, int count);
};

} // namespace Marquee
