#pragma once

#include "Batch.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

namespace Marquee {

class Clock;

/// Creates carts and checks their bearer tokens. A cart is the customer's
/// (or the counter's) container for holds; its token is shown once and
/// stored only as a hash.
class CartService
{
public:
    struct NewCart
    {
        QString id;
        QString token;
        QDateTime expiresAt;
    };

    /// Whether a token opens a cart, and whose counter cart it is.
    struct Access
    {
        bool granted = false;
        QString staffUser; ///< the clerk who made it; empty for a buyer's cart
        explicit operator bool() const { return granted; }
    };

    /// Absolute lifetime of a cart token.
    static constexpr qint64 LifetimeSeconds = 2 * 60 * 60;

    CartService(QSqlDatabase db, const Clock &clock);

    /// A cart whose holds count against \a clientAddress's hold cap; none
    /// when it is empty (staff, exempt clients). \a staffUser: the clerk
    /// making it at the counter.
    NewCart create(const QString &clientAddress = {}, const QString &staffUser = {}) const;
    /// Granted when the cart exists, has not expired and \a token is its token.
    Access authorize(const QString &cartId, const QString &token) const;
    QDateTime expiresAt(const QString &cartId) const;

    /// Deletes carts that expired before \a before and never became an order,
    /// with their (released) holds; at most \a limit carts, in one
    /// transaction. Returns how many went.
    int purgeAbandoned(const QDateTime &before, int limit = 500) const;

    /// Locks the cart's row until the transaction ends (PostgreSQL), so that
    /// two servers never work on one cart's holds at the same time.
    static void lock(const QSqlDatabase &db, const QString &cartId);
    /// The same lock as the first statement of \a batch, sent with what follows it.
    static void lock(Sql::Batch &batch, const QString &cartId);

private:
    QSqlDatabase m_db;
    const Clock &m_clock;
};

} // namespace Marquee
