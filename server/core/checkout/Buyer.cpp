#include "Buyer.h"

#include <QCoreApplication>
#include <QStringView>

namespace Marquee {

QString Buyer::nameProblem(const QString &name)
{
    if (name.trimmed().isEmpty() || name.size() > 100)
        return QCoreApplication::translate(
            "Buyer", "Give the buyer's name (at most 100 characters).");
    for (const QChar c : name) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            return QCoreApplication::translate("Buyer", "The name contains a control character.");
    }
    return {};
}

QString Buyer::emailProblem(const QString &email)
{
    // Deliberately plain: one @, something before it, a dotted domain after
    // it, nothing that could end a mail header or a list of addresses.
    const qsizetype at = email.indexOf(u'@');
    const QString domain = email.mid(at + 1);
    const bool shaped = at > 0 && at <= 64 && email.size() <= 254 && email.count(u'@') == 1
        && domain.contains(u'.') && !domain.startsWith(u'.') && !domain.endsWith(u'.')
        && !domain.contains(QLatin1String(".."));
    bool clean = true;
    for (const QChar c : email) {
        // ASCII only: the address goes into SMTP as it is (no SMTPUTF8).
        if (c.unicode() > 0x7e || c.isSpace() || c.category() == QChar::Other_Control
            || QStringView(u"<>()[],;:\\\"").contains(c))
            clean = false;
    }
    if (!shaped || !clean)
        return QCoreApplication::translate(
            "Buyer", "Give an e-mail address like name@example.org.");
    return {};
}

} // namespace Marquee
