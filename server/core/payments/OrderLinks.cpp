#include "OrderLinks.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QUrl>
#include <sodium.h>

namespace Marquee {

OrderLinks::OrderLinks(QByteArray secret)
    : m_secret(std::move(secret))
{
}

QString OrderLinks::key(const QString &order) const
{
    const QByteArray mac = QMessageAuthenticationCode::hash(
        "order:" + order.toUtf8(), m_secret, QCryptographicHash::Sha256);
    return QString::fromLatin1(
        mac.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool OrderLinks::matches(const QString &order, const QString &key) const
{
    if (order.isEmpty() || key.isEmpty())
        return false;
    const QByteArray expected = this->key(order).toLatin1();
    const QByteArray given = key.toLatin1();
    return given.size() == expected.size()
        && sodium_memcmp(given.constData(), expected.constData(), size_t(expected.size())) == 0;
}

QString OrderLinks::path(const QString &order, const QString &query) const
{
    return QStringLiteral("/order.html?order=%1%2#key=%3")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(order)),
            query.isEmpty() ? QString() : u'&' + query, key(order));
}

} // namespace Marquee
