#include "MoneyFormat.h"

#include <QCoreApplication>
#include <QMap>

namespace Marquee {

MoneyFormat::MoneyFormat(const QLocale &locale)
    : m_locale(locale)
{
}

int MoneyFormat::minorDigits(const QString &currency)
{
    return Money::minorDigits(currency);
}

QString MoneyFormat::format(const Money &money) const
{
    const int digits = minorDigits(money.currency);
    qint64 unit = 1;
    for (int i = 0; i < digits; ++i)
        unit *= 10;
    const qint64 magnitude = money.minor < 0 ? -money.minor : money.minor;
    QString amount = m_locale.toString(magnitude / unit);
    if (digits > 0)
        amount += m_locale.decimalPoint()
            + QStringLiteral("%1").arg(magnitude % unit, digits, 10, QChar(u'0'));
    if (money.minor < 0)
        amount.prepend(m_locale.negativeSign());
    //: Money: %1 is the amount, %2 the ISO currency code (EUR)
    return QCoreApplication::translate("Marquee::MoneyFormat", "%1 %2").arg(amount, money.currency);
}

QString MoneyFormat::formatSum(const QList<Money> &amounts) const
{
    QMap<QString, qint64> perCurrency;
    for (const Money &money : amounts)
        perCurrency[money.currency] += money.minor;
    if (perCurrency.isEmpty())
        return format(0, QString()).trimmed();
    QStringList parts;
    for (auto it = perCurrency.cbegin(); it != perCurrency.cend(); ++it)
        parts.append(format(it.value(), it.key()));
    return parts.join(QStringLiteral(" + "));
}

} // namespace Marquee
