#include "TicketDocuments.h"

namespace Marquee {

QList<TicketView> ticketViews(const OrderService::Order &order)
{
    QList<TicketView> views;
    for (const SaleService::Ticket &ticket : order.tickets) {
        // Only a ticket that still opens the door is printed.
        if (ticket.code.isEmpty() || !ticket.details
            || ticket.details->state != QLatin1String("valid"))
            continue;
        const SaleService::Ticket::Details &d = *ticket.details;
        TicketView view;
        view.eventName = d.eventName;
        view.venue = d.venue;
        view.startsAt = d.startsAt;
        view.timeZone = d.timeZone;
        view.seat = ticket.seat;
        view.category = d.categoryName.isEmpty() ? ticket.category : d.categoryName;
        view.price = ticket.price;
        view.currency = order.currency;
        view.code = ticket.code;
        view.order = order.id;
        view.buyer = order.buyerName;
        views.append(view);
    }
    return views;
}

QString ticketFileName(const OrderService::Order &order)
{
    return QStringLiteral("tickets-%1.pdf").arg(order.id);
}

} // namespace Marquee
