#pragma once

#include <QDateTime>
#include <QString>
#include <QtGlobal>

namespace Marquee {

/// Everything printed on one ticket, already resolved from the order, the event
/// and the plan, so that painting needs no database and the server (PDF by
/// e-mail) and the counter app (printing) show the same ticket.
struct TicketView
{
    QString eventName;
    QString venue;
    QDateTime startsAt; // UTC
    QString timeZone; // IANA id of the venue, e.g. "Europe/Berlin"; times are shown in it
    QString seat; // seat label like "C12", empty for general admission
    QString row;
    int number = 0; // row/number when known (optional, for "Row C · Seat 12")
    QString category; // the price category's name, e.g. "Stalls"
    qint64 price = 0; // integer minor units of currency
    QString currency; // ISO 4217 code
    QString code; // the ticket's secret code the QR carries
    QString order; // order id, e.g. "o_…"
    QString buyer; // buyer's name, may be empty
};

} // namespace Marquee
