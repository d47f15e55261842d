#pragma once

#include <QString>
#include <QtGlobal>

namespace Marquee {

/// An amount of money in integer minor units (cents) of an ISO 4217 currency.
/// Never floating point: totals must add up to the cent on every report.
struct Money
{
    qint64 minor = 0;
    QString currency;

    /// "12.50 EUR" — a plain, locale-independent form for logs and the API.
    QString toString() const;

    /// Decimals of the currency's minor unit by ISO 4217: 2 for most,
    /// 0 for JPY or ISK, 3 for KWD or BHD. Every client scales by this.
    static int minorDigits(const QString &currency);

    friend bool operator==(const Money &a, const Money &b)
    {
        return a.minor == b.minor && a.currency == b.currency;
    }
};

} // namespace Marquee
