#pragma once

#include <QByteArray>
#include <QString>

namespace Marquee {

/// The secret link to an order's page, shown after payment and sent by
/// e-mail. Its key is an HMAC of the order id under a server secret, so no
/// key is stored anywhere and every server on the database can check one.
/// The key rides in the link's fragment (#key=…), which browsers never
/// send: it stays out of server logs and Referer headers.
class OrderLinks
{
public:
    explicit OrderLinks(QByteArray secret);

    QString key(const QString &order) const;
    bool matches(const QString &order, const QString &key) const;
    /// "/order.html?order=…#key=…", for the page the buyer is on;
    /// \a query ("outcome=retaken") goes after the order.
    QString path(const QString &order, const QString &query = {}) const;

private:
    QByteArray m_secret;
};

} // namespace Marquee
