#pragma once

#include "TicketView.h"

#include <QCoreApplication>
#include <QString>

namespace Marquee {

/// The words and numbers printed on a ticket, apart from where they go, so the
/// PDF, the counter's printout and tests agree on "Row C · Seat 12".
class TicketText
{
    Q_DECLARE_TR_FUNCTIONS(Marquee::TicketText)

public:
    /// "Sat, 12 Dec 2026" in the venue's zone (UTC if the zone is unknown).
    static QString date(const TicketView &ticket);
    /// "19:30 CET": local time in the venue's zone and that zone's abbreviation.
    static QString time(const TicketView &ticket);
    /// "Row C · Seat 12", "Seat C12" or "General admission".
    static QString seat(const TicketView &ticket);
    /// "€45.00", "¥4,500", "CHF 45.00": integer minor units with the currency.
    static QString price(qint64 minor, const QString &currency);
};

} // namespace Marquee
