#include "InvariantsCheck.h"

#include "Clock.h"
#include "Sql.h"

#include <QHash>
#include <algorithm>

namespace Marquee {

namespace {

struct Claimant
{
    bool isHold = true;
    QString id;
    QString describe() const
    {
        return (isHold ? QStringLiteral("hold ") : QStringLiteral("paid order ")) + id;
    }
};

struct Claim
{
    QString kind;
    QString holdId;
    QString orderId;
    QString holdState; ///< empty when the hold does not exist
    QString orderState; ///< empty when the order does not exist
    QString describe() const
    {
        return kind == QLatin1String("held") ? QStringLiteral("'held' for hold ") + holdId
                                             : QStringLiteral("'sold' for order ") + orderId;
    }
};

struct SeatInfo
{
    QString label;
    QString event;
    bool blocked = false;
    QString describe() const { return QStringLiteral("seat %1 of %2").arg(label, event); }
};

QString capitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text;
}

} // namespace

QList<InvariantsCheck::Rule> InvariantsCheck::Report::rules() const
{
    QList<Rule> all;
    for (const Violation &violation : violations)
        all.append(violation.rule);
    return all;
}

QString InvariantsCheck::Report::toText() const
{
    QStringList lines;
    for (const EventCounts &event : events) {
        if (event.seated) {
            lines.append(
                QStringLiteral("%1 (seated): %2 seats: %3 available, %4 held, %5 sold, %6 blocked")
                    .arg(event.event)
                    .arg(event.seats)
                    .arg(event.available)
                    .arg(event.held)
                    .arg(event.sold)
                    .arg(event.blocked));
        } else {
            lines.append(QStringLiteral(
                "%1 (general admission): capacity %2: %3 available, %4 held, %5 sold")
                             .arg(event.event)
                             .arg(event.capacity)
                             .arg(event.available)
                             .arg(event.held)
                             .arg(event.sold));
        }
    }
    lines.append(QStringLiteral("Live holds: %1. Paid orders: %2.").arg(liveHolds).arg(paidOrders));
    if (violations.isEmpty()) {
        lines.append(QStringLiteral("No violations."));
    } else {
        lines.append(violations.size() == 1
                ? QStringLiteral("1 violation:")
                : QStringLiteral("%1 violations:").arg(violations.size()));
        for (const Violation &violation : violations)
            lines.append(
                QStringLiteral("  %1: %2").arg(ruleName(violation.rule), violation.message));
    }
    return lines.join(u'\n') + u'\n';
}

InvariantsCheck::InvariantsCheck(QSqlDatabase db, const Clock &clock, qint64 graceSeconds)
    : m_db(std::move(db))
    , m_clock(clock)
    , m_graceSeconds(graceSeconds)
{
}

QString InvariantsCheck::ruleName(Rule rule)
{
    switch (rule) {
    case Rule::DoubleClaim:
        return QStringLiteral("double-claim");
    case Rule::ClaimOnBlockedSeat:
        return QStringLiteral("claim-on-blocked-seat");
    case Rule::HeldClaimWithoutLiveHold:
        return QStringLiteral("held-claim-without-live-hold");
    case Rule::LiveHoldWithoutClaim:
        return QStringLiteral("live-hold-without-claim");
    case Rule::SoldClaimWithoutPaidOrder:
        return QStringLiteral("sold-claim-without-paid-order");
    case Rule::PaidOrderWithoutSeat:
        return QStringLiteral("paid-order-without-seat");
    case Rule::GaHeldMismatch:
        return QStringLiteral("ga-held-mismatch");
    case Rule::GaSoldMismatch:
        return QStringLiteral("ga-sold-mismatch");
    case Rule::GaOverCapacity:
        return QStringLiteral("ga-over-capacity");
    case Rule::ExpiredLiveHold:
        return QStringLiteral("expired-live-hold");
    }
    return QStringLiteral("unknown");
}

InvariantsCheck::Report InvariantsCheck::run() const
{
    // One consistent view for the whole check, so a server that keeps selling
    // meanwhile cannot make half-read data look broken.
    const ReadSnapshot snapshot(m_db);
    Report report;
    checkSeats(&report);
    checkGeneralAdmission(&report);
    checkExpiry(&report);
    count(&report);
    return report;
}

void InvariantsCheck::checkSeats(Report *report) const
{
    // A seat's live claimants are the live holds that list it and the paid
    // orders with a ticket for it; seat_claims must mirror exactly that.
    // Comparing the two, seat by seat, reports each inconsistency once, under
    // the rule that names its cause.
    QHash<qint64, SeatInfo> seats;
    Sql::Rows seatRows = Sql::exec(m_db,
        QStringLiteral("SELECT s.id, s.label, e.slug, s.blocked FROM seats s"
                       " JOIN events e ON e.id = s.event_id"));
    while (seatRows.next())
        seats.insert(seatRows.value(0).toLongLong(),
            {seatRows.value(1).toString(), seatRows.value(2).toString(),
                seatRows.value(3).toInt() == 1});

    QHash<qint64, QList<Claimant>> claimants;
    Sql::Rows holds = Sql::exec(m_db,
        QStringLiteral("SELECT hs.seat_id, h.id FROM hold_seats hs"
                       " JOIN holds h ON h.id = hs.hold_id WHERE h.state = 'live'"
                       " ORDER BY h.id"));
    while (holds.next())
        claimants[holds.value(0).toLongLong()].append({true, holds.value(1).toString()});
    Sql::Rows lines = Sql::exec(m_db,
        QStringLiteral("SELECT l.seat_id, l.order_id FROM order_lines l"
                       " JOIN orders o ON o.id = l.order_id"
                       " WHERE o.state = 'paid' AND l.seat_id IS NOT NULL"
                       " ORDER BY l.order_id, l.id"));
    while (lines.next())
        claimants[lines.value(0).toLongLong()].append({false, lines.value(1).toString()});

    QHash<qint64, Claim> claims;
    Sql::Rows claimRows = Sql::exec(m_db,
        QStringLiteral("SELECT c.seat_id, c.kind, c.hold_id, c.order_id, h.state, o.state"
                       " FROM seat_claims c"
                       " LEFT JOIN holds h ON h.id = c.hold_id"
                       " LEFT JOIN orders o ON o.id = c.order_id"));
    while (claimRows.next()) {
        claims.insert(claimRows.value(0).toLongLong(),
            {claimRows.value(1).toString(), claimRows.value(2).toString(),
                claimRows.value(3).toString(), claimRows.value(4).toString(),
                claimRows.value(5).toString()});
    }

    QList<qint64> ids = claimants.keys();
    for (auto it = claims.cbegin(); it != claims.cend(); ++it) {
        if (!claimants.contains(it.key()))
            ids.append(it.key());
    }
    std::sort(ids.begin(), ids.end());

    const auto add = [report](Rule rule, const QString &message) {
        report->violations.append({rule, message});
    };
    for (qint64 id : std::as_const(ids)) {
        const SeatInfo seat
            = seats.value(id, {QStringLiteral("#%1").arg(id), QStringLiteral("?"), false});
        const QList<Claimant> who = claimants.value(id);
        const auto claim = claims.constFind(id);
        const bool claimed = claim != claims.cend();

        if (seat.blocked && claimed)
            add(Rule::ClaimOnBlockedSeat,
                QStringLiteral("%1 is blocked but has a claim %2.")
                    .arg(capitalized(seat.describe()), claim->describe()));

        if (who.size() > 1) {
            QStringList names;
            for (const Claimant &claimant : who)
                names.append(claimant.describe());
            add(Rule::DoubleClaim,
                QStringLiteral("%1 has %2 live claims at once: %3.")
                    .arg(capitalized(seat.describe()))
                    .arg(who.size())
                    .arg(names.join(QStringLiteral(", "))));
            continue;
        }

        if (who.size() == 1) {
            const Claimant &owner = who.first();
            const bool matches = claimed
                && (owner.isHold
                        ? claim->kind == QLatin1String("held") && claim->holdId == owner.id
                        : claim->kind == QLatin1String("sold") && claim->orderId == owner.id);
            if (matches)
                continue;
            const QString found = claimed
                ? QStringLiteral("the seat's claim is %1").arg(claim->describe())
                : QStringLiteral("the seat has no claim");
            if (owner.isHold)
                add(Rule::LiveHoldWithoutClaim,
                    QStringLiteral("Live hold %1 lists %2, but %3.")
                        .arg(owner.id, seat.describe(), found));
            else
                add(Rule::PaidOrderWithoutSeat,
                    QStringLiteral("Paid order %1 has a ticket for %2, but %3.")
                        .arg(owner.id, seat.describe(), found));
            continue;
        }

        // Claimed by nobody live: the claim itself is the stray.
        if (claim->kind == QLatin1String("held")) {
            const QString why = claim->holdState.isEmpty() ? QStringLiteral("which does not exist")
                : claim->holdState == QLatin1String("live")
                ? QStringLiteral("which is live but does not list the seat")
                : QStringLiteral("which is %1").arg(claim->holdState);
            add(Rule::HeldClaimWithoutLiveHold,
                QStringLiteral("%1 is held for hold %2, %3.")
                    .arg(capitalized(seat.describe()), claim->holdId, why));
        } else {
            const QString why = claim->orderState.isEmpty() ? QStringLiteral("which does not exist")
                : claim->orderState == QLatin1String("paid")
                ? QStringLiteral("which is paid but has no ticket for the seat")
                : QStringLiteral("which is %1").arg(claim->orderState);
            add(Rule::SoldClaimWithoutPaidOrder,
                QStringLiteral("%1 is sold to order %2, %3.")
                    .arg(capitalized(seat.describe()), claim->orderId, why));
        }
    }
}

void InvariantsCheck::checkGeneralAdmission(Report *report) const
{
    Sql::Rows events = Sql::exec(m_db,
        QStringLiteral("SELECT e.slug, e.capacity, e.ga_held, e.ga_sold,"
                       " (SELECT CAST(COALESCE(SUM(h.quantity), 0) AS BIGINT) FROM holds h"
                       "   WHERE h.event_id = e.id AND h.state = 'live'),"
                       " (SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.id = l.order_id"
                       "   WHERE l.event_id = e.id AND o.state = 'paid')"
                       " FROM events e WHERE e.kind = 'general' ORDER BY e.slug"));
    while (events.next()) {
        const QString slug = events.value(0).toString();
        const qint64 capacity = events.value(1).toLongLong();
        const qint64 held = events.value(2).toLongLong();
        const qint64 sold = events.value(3).toLongLong();
        const qint64 liveHeld = events.value(4).toLongLong();
        const qint64 paidSold = events.value(5).toLongLong();
        if (held != liveHeld) {
            report->violations.append({Rule::GaHeldMismatch,
                QStringLiteral("%1: %2 places are counted as held, but its live holds cover %3.")
                    .arg(slug)
                    .arg(held)
                    .arg(liveHeld)});
        }
        if (sold != paidSold) {
            report->violations.append({Rule::GaSoldMismatch,
                QStringLiteral(
                    "%1: %2 places are counted as sold, but its paid orders have %3 tickets.")
                    .arg(slug)
                    .arg(sold)
                    .arg(paidSold)});
        }
        if (held + sold > capacity) {
            report->violations.append({Rule::GaOverCapacity,
                QStringLiteral("%1: %2 held and %3 sold exceed the capacity of %4 (available %5).")
                    .arg(slug)
                    .arg(held)
                    .arg(sold)
                    .arg(capacity)
                    .arg(capacity - held - sold)});
        }
    }
}

void InvariantsCheck::checkExpiry(Report *report) const
{
    // Compared by the database: ISO-8601 UTC text of one fixed form on
    // SQLite (text order is time order), timestamptz on PostgreSQL.
    const QString limit = isoUtc(m_clock.now().addSecs(-m_graceSeconds));
    Sql::Rows late = Sql::exec(m_db,
        QStringLiteral("SELECT h.id, e.slug, h.expires_at FROM holds h"
                       " JOIN events e ON e.id = h.event_id"
                       " WHERE h.state = 'live' AND h.expires_at < ? ORDER BY h.expires_at, h.id"),
        {limit});
    while (late.next()) {
        report->violations.append({Rule::ExpiredLiveHold,
            QStringLiteral(
                "Hold %1 (%2) expired at %3 but is still live, more than %4 s later"
                " (a running server's expiry timer is behind; a stopped one releases it at start).")
                .arg(late.value(0).toString(), late.value(1).toString(),
                    isoUtc(Sql::time(late.value(2))))
                .arg(m_graceSeconds)});
    }
}

void InvariantsCheck::count(Report *report) const
{
    Sql::Rows events = Sql::exec(m_db,
        QStringLiteral(
            "SELECT e.slug, e.kind, e.capacity, e.ga_held, e.ga_sold,"
            " (SELECT COUNT(*) FROM seats s WHERE s.event_id = e.id),"
            " (SELECT COUNT(*) FROM seats s WHERE s.event_id = e.id AND s.blocked = 1),"
            " (SELECT COUNT(*) FROM seat_claims c WHERE c.event_id = e.id AND c.kind = 'held'),"
            " (SELECT COUNT(*) FROM seat_claims c WHERE c.event_id = e.id AND c.kind = 'sold'),"
            " (SELECT COUNT(*) FROM seats s LEFT JOIN seat_claims c ON c.seat_id = s.id"
            "   WHERE s.event_id = e.id AND s.blocked = 0 AND c.seat_id IS NULL)"
            " FROM events e ORDER BY e.slug"));
    while (events.next()) {
        EventCounts counts;
        counts.event = events.value(0).toString();
        counts.seated = events.value(1).toString() == QLatin1String("seated");
        if (counts.seated) {
            counts.seats = events.value(5).toInt();
            counts.blocked = events.value(6).toInt();
            counts.held = events.value(7).toInt();
            counts.sold = events.value(8).toInt();
            counts.available = events.value(9).toInt();
        } else {
            counts.capacity = events.value(2).toInt();
            counts.held = events.value(3).toInt();
            counts.sold = events.value(4).toInt();
            counts.available = counts.capacity - counts.held - counts.sold;
        }
        report->events.append(counts);
    }
    report->liveHolds
        = Sql::scalar(m_db, QStringLiteral("SELECT COUNT(*) FROM holds WHERE state = 'live'"))
              .toInt();
    report->paidOrders
        = Sql::scalar(m_db, QStringLiteral("SELECT COUNT(*) FROM orders WHERE state = 'paid'"))
              .toInt();
}

} // namespace Marquee
