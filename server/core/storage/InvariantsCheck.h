#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace Marquee {

class Clock;

/// Reads the whole database in one snapshot and checks the promises of
/// ARCHITECTURE.md ("Data and invariants") against what is stored, not
/// against what the services meant to write: no seat with two live claims,
/// GA counters that match the holds and tickets behind them, paid orders
/// that own their seats, and no live hold long past its expiry. For
/// operators (`marquee-server --check`) and for tests. Each inconsistency is
/// reported by exactly one rule, so a report points at the cause.
class InvariantsCheck
{
public:
    enum class Rule
    {
        /// A seat in two live holds or paid orders at once.
        DoubleClaim,
        /// A blocked seat is held or sold.
        ClaimOnBlockedSeat,
        /// A 'held' claim whose hold is not live or does not list the seat.
        HeldClaimWithoutLiveHold,
        /// A live hold's seat has no 'held' claim pointing at the hold.
        LiveHoldWithoutClaim,
        /// A 'sold' claim whose order is not paid or has no ticket for it.
        SoldClaimWithoutPaidOrder,
        /// A paid order's seat has no 'sold' claim pointing at the order.
        PaidOrderWithoutSeat,
        /// events.ga_held differs from the live GA holds.
        GaHeldMismatch,
        /// events.ga_sold differs from the paid GA tickets.
        GaSoldMismatch,
        /// Held + sold above capacity.
        GaOverCapacity,
        /// A live hold past its expiry beyond the grace period.
        ExpiredLiveHold,
    };

    struct Violation
    {
        Rule rule;
        QString message; ///< one readable sentence
    };

    struct EventCounts
    {
        QString event;
        bool seated = true;
        int seats = 0; ///< seated
        int blocked = 0;
        int held = 0; ///< seats or places
        int sold = 0;
        int available = 0;
        int capacity = 0; ///< general admission
    };

    struct Report
    {
        QList<Violation> violations;
        QList<EventCounts> events;
        int liveHolds = 0;
        int paidOrders = 0;

        bool clean() const { return violations.isEmpty(); }
        QList<Rule> rules() const;
        /// Several lines for a person: the counts, then one line per violation.
        QString toText() const;
    };

    static constexpr qint64 DefaultGraceSeconds = 60;

    /// \a graceSeconds: how late the expiry timer may be before a live hold
    /// past its time counts as a violation.
    InvariantsCheck(QSqlDatabase db, const Clock &clock, qint64 graceSeconds = DefaultGraceSeconds);

    /// Throws StorageError when the database cannot be read.
    Report run() const;

    /// A short stable name, e.g. "double-claim".
    static QString ruleName(Rule rule);

private:
    void checkSeats(Report *report) const;
    void checkGeneralAdmission(Report *report) const;
    void checkExpiry(Report *report) const;
    void count(Report *report) const;

    QSqlDatabase m_db;
    const Clock &m_clock;
    qint64 m_graceSeconds;
};

} // namespace Marquee
