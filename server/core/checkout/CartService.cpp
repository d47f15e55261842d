#include "CartService.h"

#include "Clock.h"
#include "Sql.h"
#include "Tokens.h"

namespace Marquee {

CartService::CartService(QSqlDatabase db, const Clock &clock)
    : m_db(std::move(db))
    , m_clock(clock)
{
}

CartService::NewCart CartService::create() const
{
    const QDateTime now = m_clock.now();
    NewCart cart{Tokens::newId(u"c"), Tokens::newSecret(), now.addSecs(LifetimeSeconds)};
    Sql::exec(m_db,
        QStringLiteral(
            "INSERT INTO carts (id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)"),
        {cart.id, Tokens::hash(cart.token), isoUtc(now), isoUtc(cart.expiresAt)});
    return cart;
}

bool CartService::authorize(const QString &cartId, const QString &token) const
{
    if (token.isEmpty())
        return false;
    QSqlQuery query = Sql::exec(
        m_db, QStringLiteral("SELECT token_hash, expires_at FROM carts WHERE id = ?"), {cartId});
    if (!query.next())
        return false;
    // Comparing hashes of a 256-bit secret: timing reveals nothing useful.
    return query.value(0).toString() == Tokens::hash(token)
        && query.value(1).toString() > isoUtc(m_clock.now());
}

QDateTime CartService::expiresAt(const QString &cartId) const
{
    return QDateTime::fromString(
        Sql::scalar(m_db, QStringLiteral("SELECT expires_at FROM carts WHERE id = ?"), {cartId})
            .toString(),
        Qt::ISODate);
}

void CartService::lock(const QSqlDatabase &db, const QString &cartId)
{
    Sql::exec(
        db, QStringLiteral("SELECT id FROM carts WHERE id = ?") + Sql::lockClause(db), {cartId});
}

} // namespace Marquee
