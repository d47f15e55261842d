#pragma once

#include "AuditLog.h"
#include "AvailabilityChange.h"
#include "Batch.h"
#include "Protocol.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QStringList>
#include <optional>

namespace Marquee {

class Clock;
class EventWrites;

/// The rules of a hold, checked where they are enforced.
struct HoldRules
{
    qint64 holdSeconds = 15 * 60;
    int maxHoldsPerCart = 10;
    int maxRenewals = 2;
    /// Seats and GA places the carts of one client address may hold at
    /// once (carts that record an address); 0 = no cap.
    int maxPerClient = 0;
    Protocol::HoldRequestLimits request;
};

/// Puts seats or general-admission places on hold for a cart, all or
/// nothing, and releases them. Every call is one transaction that takes the
/// write lock first; the database's constraints back up each check.
class HoldService
{
public:
    struct Hold
    {
        QString id;
        QString event;
        QStringList seats;
        int quantity = 0;
        qint64 total = 0;
        QString currency;
        QDateTime expiresAt;
        /// The pending order whose payment this hold is in (checkout);
        /// empty otherwise. Such a hold is the payment's: the cart cannot
        /// release or renew it until the payment is declined or paid.
        QString order;
        /// How many more times the cart may renew it (HoldRules::maxRenewals
        /// less those used), so a counter can say whether "more time" works.
        int renewalsLeft = 0;
    };

    struct Outcome
    {
        enum class Status
        {
            Held,
            Released,
            UnknownEvent,
            UnknownHold,
            UnknownSeats,
            Unavailable,
            TooManyHolds,
            Renewed,
            RenewalLimit,
            ClientHoldLimit
        };
        Status status = Status::Unavailable;
        Hold hold;
        QStringList seats; ///< the unknown or unavailable seats
        int available = 0; ///< GA places left, when unavailable
        AvailabilityChanges changes;
        int clientHeld = 0; ///< seats and places the client holds, at its cap
    };

    /// \a actor is who the audit trail names for holds and releases.
    HoldService(QSqlDatabase db, const Clock &clock, HoldRules rules,
        AuditActor actor = AuditActor::system());

    Outcome hold(const QString &cartId, const Protocol::HoldRequest &request) const;
    Outcome release(const QString &cartId, const QString &holdId) const;
    QList<Hold> liveHolds(const QString &cartId) const;

    /// Live holds whose time is up, earliest first.
    QStringList dueHolds(int limit = 500) const;
    /// Releases one hold if it is live and due, in its own transaction: the
    /// changes (none when it is not due or already gone), or nullopt when
    /// another transaction has it locked right now (try again later).
    std::optional<AvailabilityChanges> releaseExpired(const QString &holdId) const;
    /// When the next live hold expires, if any, leaving out \a skip.
    std::optional<QDateTime> nextExpiry(const QStringList &skip = {}) const;

    /// Gives a hold one more full hold time, a limited number of times.
    Outcome renew(const QString &cartId, const QString &holdId) const;

    /// Of \a labels of \a event, the seats in a live hold, each with when
    /// that hold ends (renewals included), for a counter to tell a clerk
    /// how long a seat someone else holds may stay out of reach.
    QHash<QString, QDateTime> heldUntil(const QString &event, const QStringList &labels) const;

    /// Returns the hold's seats or places to the pool and marks it
    /// released; false when it is no longer live. The caller owns the
    /// transaction and flushes \a writes.
    bool releaseLocked(const QString &holdId, EventWrites &writes) const;
    /// Releases every live hold of an order (a void, a refused payment).
    void releaseOrderHolds(const QString &orderId, EventWrites &writes) const;

private:
    struct HoldFacts;
    HoldFacts readForHold(const QString &cartId, const Protocol::HoldRequest &request) const;
    /// Adds the read of the seats asked for (locked first on PostgreSQL) or
    /// of a GA place's price; its index in the batch's answer.
    qsizetype addSeatsOrPrice(Sql::Batch &reads, const Protocol::HoldRequest &request) const;
    Outcome holdSeats(
        const QString &cartId, const HoldFacts &facts, const Protocol::HoldRequest &request) const;
    Outcome holdPlaces(
        const QString &cartId, const HoldFacts &facts, const Protocol::HoldRequest &request) const;
    Sql::Statement insertHold(
        const Hold &hold, const QString &cartId, qint64 eventId, const QDateTime &now) const;
    Sql::Statement auditHold(
        const QString &holdId, const QString &cartId, const Protocol::HoldRequest &request) const;
    /// releaseLocked() that runs the statements in \a before first, in the
    /// same round trip; with \a cartId, only a hold of that cart that is
    /// not in an order's checkout, and the caller must roll back when it
    /// returns false.
    bool releaseLocked(const QString &holdId, EventWrites &writes, Sql::Batch &before,
        const QString &cartId) const;

    QSqlDatabase m_db;
    const Clock &m_clock;
    HoldRules m_rules;
    AuditActor m_actor;
};

} // namespace Marquee
