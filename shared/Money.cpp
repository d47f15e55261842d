#include "Money.h"

#include <QStringList>

namespace Marquee {

int Money::minorDigits(const QString &currency)
{
    static const QStringList none = {QStringLiteral("BIF"), QStringLiteral("CLP"),
        QStringLiteral("DJF"), QStringLiteral("GNF"), QStringLiteral("ISK"), QStringLiteral("JPY"),
        QStringLiteral("KMF"), QStringLiteral("KRW"), QStringLiteral("PYG"), QStringLiteral("RWF"),
        QStringLiteral("UGX"), QStringLiteral("UYI"), QStringLiteral("VND"), QStringLiteral("VUV"),
        QStringLiteral("XAF"), QStringLiteral("XOF"), QStringLiteral("XPF")};
    static const QStringList three = {QStringLiteral("BHD"), QStringLiteral("IQD"),
        QStringLiteral("JOD"), QStringLiteral("KWD"), QStringLiteral("LYD"), QStringLiteral("OMR"),
        QStringLiteral("TND")};
    if (none.contains(currency))
        return 0;
    return three.contains(currency) ? 3 : 2;
}

QString Money::toString() const
{
    const int digits = minorDigits(currency);
    qint64 unit = 1;
    for (int i = 0; i < digits; ++i)
        unit *= 10;
    const qint64 magnitude = minor < 0 ? -minor : minor;
    QString text = QString::number(magnitude / unit);
    if (digits > 0)
        text += u'.' + QStringLiteral("%1").arg(magnitude % unit, digits, 10, QChar(u'0'));
    if (minor < 0)
        text.prepend(u'-');
    return text + u' ' + currency;
}

} // namespace Marquee
