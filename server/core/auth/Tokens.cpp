#include "Tokens.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace Marquee::Tokens {

namespace {

QString randomBase64Url(int bytes)
{
    QByteArray buffer(bytes, Qt::Uninitialized);
    // QRandomGenerator::system() reads the kernel's CSPRNG (getrandom).
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(buffer.data()), bytes / 4);
    return QString::fromLatin1(
        buffer.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

QString newSecret()
{
    return randomBase64Url(32);
}

QString newCode()
{
    return randomBase64Url(24);
}

QString newId(QStringView prefix)
{
    return prefix + u'_' + randomBase64Url(16);
}

QString newTimeOrderedId(QStringView prefix, const QDateTime &created)
{
    return prefix + u'_'
        + QStringLiteral("%1").arg(
            quint64(qMax<qint64>(0, created.toMSecsSinceEpoch())), 12, 16, QLatin1Char('0'))
        + randomBase64Url(16);
}

QString hash(const QString &secret)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(secret.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString bearer(const QByteArray &authorizationHeader)
{
    static const QByteArray scheme = QByteArrayLiteral("bearer ");
    if (authorizationHeader.size() <= scheme.size()
        || authorizationHeader.left(scheme.size()).toLower() != scheme)
        return {};
    const QByteArray token = authorizationHeader.mid(scheme.size()).trimmed();
    if (token.size() > 128)
        return {};
    return QString::fromLatin1(token);
}

} // namespace Marquee::Tokens
