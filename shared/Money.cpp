#include "Money.h"

namespace Marquee {

QString Money::toString() const
{
    const qint64 whole = minor / 100;
    const qint64 cents = qAbs(minor % 100);
    const QString sign = (minor < 0 && whole == 0) ? QStringLiteral("-") : QString();
    return sign + QString::number(whole) + u'.'
        + QStringLiteral("%1").arg(cents, 2, 10, QChar(u'0')) + u' ' + currency;
}

} // namespace Marquee
