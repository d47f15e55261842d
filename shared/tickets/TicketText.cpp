#include "TicketText.h"

#include "Money.h"

#include <QLocale>
#include <QTimeZone>

namespace Marquee {

namespace {

QDateTime venueTime(const TicketView &ticket)
{
    const QTimeZone zone(ticket.timeZone.toUtf8());
    return ticket.startsAt.toTimeZone(zone.isValid() ? zone : QTimeZone::utc());
}

// Symbols a ticket buyer recognises; any other currency is shown by its ISO
// code, which is never ambiguous (QLocale only knows the symbol of a
// locale's own currency).
QString currencySymbol(const QString &currency)
{
    if (currency == QLatin1String("EUR"))
        return QStringLiteral("€");
    if (currency == QLatin1String("GBP"))
        return QStringLiteral("£");
    if (currency == QLatin1String("USD"))
        return QStringLiteral("$");
    if (currency == QLatin1String("JPY"))
        return QStringLiteral("¥");
    return currency + QChar(0x00A0);
}

} // namespace

QString TicketText::date(const TicketView &ticket)
{
    // The default locale follows the language the application was started
    // in, like the translated labels around it. Abbreviated names keep the
    // date to one line beside the time.
    return QLocale().toString(venueTime(ticket).date(), QStringLiteral("ddd, d MMM yyyy"));
}

QString TicketText::time(const TicketView &ticket)
{
    const QDateTime local = venueTime(ticket);
    const QString clock = local.time().toString(QStringLiteral("HH:mm"));
    const QString zone = local.timeZone().abbreviation(local);
    return zone.isEmpty() ? clock : tr("%1 %2", "time and time-zone abbreviation").arg(clock, zone);
}

QString TicketText::seat(const TicketView &ticket)
{
    if (!ticket.row.isEmpty() && ticket.number > 0)
        return tr("Row %1 · Seat %2").arg(ticket.row).arg(ticket.number);
    if (!ticket.seat.isEmpty())
        return tr("Seat %1").arg(ticket.seat);
    return tr("General admission");
}

QString TicketText::price(qint64 minor, const QString &currency)
{
    const int digits = Money::minorDigits(currency);
    qint64 unit = 1;
    for (int i = 0; i < digits; ++i)
        unit *= 10;
    // Whole units and the remainder are formatted apart so no amount ever
    // passes through floating point.
    const QLocale english(QLocale::English);
    const qint64 magnitude = minor < 0 ? -minor : minor;
    QString number = english.toString(magnitude / unit);
    if (digits > 0)
        number += english.decimalPoint()
            + QStringLiteral("%1").arg(magnitude % unit, digits, 10, QChar(u'0'));
    const QString sign = minor < 0 ? english.negativeSign() : QString();
    return sign + currencySymbol(currency) + number;
}

} // namespace Marquee
