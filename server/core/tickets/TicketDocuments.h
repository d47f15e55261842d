#pragma once

#include "OrderService.h"
#include "TicketView.h"

#include <QList>
#include <functional>

namespace Marquee {

/// Renders an order's tickets as a PDF. The painting needs Qt Gui, which
/// the server's core does not link: the program (main.cpp, or a test) hands
/// in marquee_tickets' TicketPdf::render, and without one there is no PDF.
using TicketPdfRenderer
    = std::function<QByteArray(const QList<TicketView> &tickets, const QString &title)>;

/// The order's valid tickets as the painter wants them.
QList<TicketView> ticketViews(const OrderService::Order &order);

/// The file name a PDF of \a order is offered and attached under.
QString ticketFileName(const OrderService::Order &order);

} // namespace Marquee
