#pragma once

#include "TicketView.h"

#include <QCoreApplication>
#include <QRectF>

class QPainter;

namespace Marquee {

/// Paints one ticket the way a buyer sees it: the event and the facts on the
/// left, a tear-off stub with the QR code on the right. Used for the PDF sent
/// by e-mail and for printing at the counter, so both look the same.
///
/// The ticket keeps its proportions (180 × 90): it is fitted into area and
/// centred there; every length is relative to its width, so the result does
/// not depend on the device's resolution. At 180 mm wide the QR code is 46 mm.
///
/// Text needs fonts: DejaVu Sans (Debian's fonts-dejavu-core) is asked for
/// first. Painting text needs a QGuiApplication (offscreen is enough) and,
/// like all QPainter work on a QImage or QPdfWriter, may run on any one thread
/// at a time per device.
class TicketPainter
{
    Q_DECLARE_TR_FUNCTIONS(Marquee::TicketPainter)

public:
    static void paint(QPainter &painter, const QRectF &area, const TicketView &ticket);

    /// Width over height of the painted ticket.
    static constexpr qreal aspectRatio = 180.0 / 90.0;
};

} // namespace Marquee
