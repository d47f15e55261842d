#pragma once

#include "Money.h"

#include <QList>
#include <QLocale>
#include <QString>

namespace Marquee {

/// Shows amounts the way the clerk's language writes numbers ("1,234.50 EUR",
/// "1.234,50 EUR") straight from integer minor units: no floating point on
/// the way, so what the screen says is what the server charges.
class MoneyFormat
{
public:
    explicit MoneyFormat(const QLocale &locale = QLocale());

    QString format(const Money &money) const;
    QString format(qint64 minor, const QString &currency) const
    {
        return format(Money{minor, currency});
    }
    /// Sums per currency; "45.00 EUR + 10.00 USD" when a sale mixes them.
    QString formatSum(const QList<Money> &amounts) const;

    /// Digits after the decimal point for an ISO 4217 code (JPY has none).
    static int minorDigits(const QString &currency);

private:
    QLocale m_locale;
};

} // namespace Marquee
