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

CartService::NewCart CartService::create(
    const QString &clientAddress, const QString &staffUser) const
{
    const auto orNull = [](const QString &text) {
        return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
    };
    const QDateTime now = m_clock.now();
    NewCart cart{Tokens::newId(u"c"), Tokens::newSecret(), now.addSecs(LifetimeSeconds)};
    Sql::exec(m_db,
        QStringLiteral("INSERT INTO carts (id, token_hash, created_at, expires_at, client_address,"
                       " staff_user) VALUES (?, ?, ?, ?, ?, ?)"),
        {cart.id, Tokens::hash(cart.token), isoUtc(now), isoUtc(cart.expiresAt),
            orNull(clientAddress), orNull(staffUser)});
    return cart;
}

CartService::Access CartService::authorize(const QString &cartId, const QString &token) const
{
    if (token.isEmpty())
        return {};
    Sql::Rows query = Sql::exec(m_db,
        QStringLiteral("SELECT token_hash, expires_at, staff_user FROM carts WHERE id = ?"),
        {cartId});
    if (!query.next())
        return {};
    // Comparing hashes of a 256-bit secret: timing reveals nothing useful.
    if (query.value(0).toString() != Tokens::hash(token)
        || Sql::time(query.value(1)) <= m_clock.now())
        return {};
    return {true, query.value(2).toString()};
}

QDateTime CartService::expiresAt(const QString &cartId) const
{
    return Sql::time(
        Sql::scalar(m_db, QStringLiteral("SELECT expires_at FROM carts WHERE id = ?"), {cartId}));
}

int CartService::purgeAbandoned(const QDateTime &before, int limit) const
{
    Transaction transaction(m_db);
    // Carts first (the lock order), skipping any a request is working on.
    Sql::Rows old = Sql::exec(m_db,
        QStringLiteral("SELECT c.id FROM carts c WHERE c.expires_at < ?"
                       " AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.cart_id = c.id)"
                       " AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.cart_id = c.id"
                       "   AND h.state <> 'released')"
                       " ORDER BY c.expires_at, c.id LIMIT ?")
            + Sql::lockClause(m_db, u" FOR UPDATE OF c SKIP LOCKED"),
        {isoUtc(before), limit});
    QVariantList ids;
    while (old.next())
        ids.append(old.value(0));
    if (ids.isEmpty())
        return 0;
    QStringList marks;
    marks.fill(QStringLiteral("?"), ids.size());
    const QString in = marks.join(u',');
    Sql::exec(m_db,
        QStringLiteral("DELETE FROM hold_seats WHERE hold_id IN"
                       " (SELECT id FROM holds WHERE cart_id IN (%1))")
            .arg(in),
        ids);
    Sql::exec(m_db, QStringLiteral("DELETE FROM holds WHERE cart_id IN (%1)").arg(in), ids);
    Sql::exec(m_db, QStringLiteral("DELETE FROM carts WHERE id IN (%1)").arg(in), ids);
    transaction.commit();
    return int(ids.size());
}

namespace {

QString lockCart()
{
    return QStringLiteral("SELECT id FROM carts WHERE id = ? FOR UPDATE");
}

} // namespace

// SQLite's BEGIN IMMEDIATE already holds the only write lock: the cart
// lock is PostgreSQL's alone, and a statement saved on SQLite.
void CartService::lock(const QSqlDatabase &db, const QString &cartId)
{
    if (!Sql::isSqlite(db))
        Sql::exec(db, lockCart(), {cartId});
}

void CartService::lock(Sql::Batch &batch, const QString &cartId)
{
    if (!Sql::isSqlite(batch.database()))
        batch.add(lockCart(), {cartId});
}

} // namespace Marquee
