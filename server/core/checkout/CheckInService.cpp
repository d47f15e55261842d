#include "CheckInService.h"

#include "Clock.h"
#include "Sql.h"

namespace Marquee {

using Result = CheckInService::Outcome::Result;

CheckInService::CheckInService(QSqlDatabase db, const Clock &clock, AuditActor actor)
    : m_db(std::move(db))
    , m_clock(clock)
    , m_actor(std::move(actor))
{
}

std::optional<CheckInService::Outcome> CheckInService::find(const QString &code) const
{
    Sql::Rows found = Sql::exec(m_db,
        QStringLiteral(
            "SELECT e.slug, s.label, l.category_code, l.price, e.name, v.name, e.starts_at,"
            " e.time_zone, c.name, l.state, l.redeemed_at, o.id, o.state, o.buyer_name"
            " FROM order_lines l JOIN orders o ON o.id = l.order_id"
            " JOIN events e ON e.id = l.event_id JOIN venues v ON v.id = e.venue_id"
            " LEFT JOIN seats s ON s.id = l.seat_id"
            " LEFT JOIN price_categories c ON c.event_id = l.event_id AND c.code = l.category_code"
            " WHERE l.code = ?"),
        {code});
    if (!found.next())
        return std::nullopt;
    Outcome outcome;
    const bool valid = found.value(9).toString() == QLatin1String("valid")
        && found.value(12).toString() == QLatin1String("paid");
    const QDateTime redeemed = found.value(10).isNull() ? QDateTime() : Sql::time(found.value(10));
    outcome.ticket = {found.value(0).toString(), found.value(1).toString(),
        found.value(2).toString(), found.value(3).toLongLong(), code,
        SaleService::Ticket::Details{found.value(4).toString(), found.value(5).toString(),
            Sql::time(found.value(6)), found.value(7).toString(), found.value(8).toString(),
            valid ? QStringLiteral("valid") : QStringLiteral("revoked"), redeemed}};
    outcome.order = found.value(11).toString();
    outcome.buyer = found.value(13).toString();
    outcome.at = redeemed;
    outcome.result
        = !valid ? Result::Revoked : (redeemed.isValid() ? Result::AlreadyRedeemed : Result::Ok);
    return outcome;
}

namespace {

const QList<std::pair<Result, QLatin1String>> &resultNames()
{
    static const QList<std::pair<Result, QLatin1String>> names{{Result::Ok, QLatin1String("ok")},
        {Result::AlreadyRedeemed, QLatin1String("already_redeemed")},
        {Result::Revoked, QLatin1String("revoked")},
        {Result::WrongEvent, QLatin1String("wrong_event")},
        {Result::Unknown, QLatin1String("unknown")}};
    return names;
}

} // namespace

CheckInService::Outcome CheckInService::checkIn(
    const QString &code, const QString &doorEvent, const QString &key) const
{
    Transaction transaction(m_db);
    if (!key.isEmpty()) {
        if (std::optional<Outcome> first = replay(key, code))
            return *first;
    }
    const Outcome outcome = judge(code, doorEvent);
    if (!key.isEmpty()) {
        QString name;
        for (const auto &[result, text] : resultNames()) {
            if (result == outcome.result)
                name = text;
        }
        Sql::exec(m_db,
            QStringLiteral("INSERT INTO checkin_replays (idempotency_key, code, result, created_at)"
                           " VALUES (?, ?, ?, ?)"),
            {key, code, name, isoUtc(m_clock.now())});
    }
    transaction.commit();
    return outcome;
}

std::optional<CheckInService::Outcome> CheckInService::replay(
    const QString &key, const QString &code) const
{
    QString storedCode;
    QString storedResult;
    {
        Sql::Rows stored = Sql::exec(m_db,
            QStringLiteral("SELECT code, result FROM checkin_replays WHERE idempotency_key = ?"),
            {key});
        if (!stored.next())
            return std::nullopt;
        storedCode = stored.value(0).toString();
        storedResult = stored.value(1).toString();
    }
    if (storedCode != code) {
        Outcome reused;
        reused.result = Result::KeyReused;
        return reused;
    }
    // The ticket as it is now, with the verdict it got then: the guest let
    // in reads as let in, with the time they got in.
    Outcome first = find(code).value_or(Outcome{});
    for (const auto &[result, text] : resultNames()) {
        if (text == storedResult)
            first.result = result;
    }
    return first;
}

CheckInService::Outcome CheckInService::judge(const QString &code, const QString &doorEvent) const
{
    std::optional<Outcome> outcome = find(code);
    if (!outcome)
        return {};
    // At another event's door, "already in" would mislead: the ticket is
    // not for this door at all.
    if (outcome->result != Result::Revoked && !doorEvent.isEmpty()
        && outcome->ticket.event != doorEvent)
        outcome->result = Result::WrongEvent;
    if (outcome->result != Result::Ok)
        return *outcome;
    const QDateTime now = m_clock.now();
    const int redeemed = Sql::exec(m_db,
        QStringLiteral("UPDATE order_lines SET redeemed_at = ?, redeemed_by = ?"
                       " WHERE code = ? AND redeemed_at IS NULL AND state = 'valid'"),
        {isoUtc(now), m_actor.name, code})
                             .numRowsAffected();
    if (redeemed != 1) {
        // Another scan of this ticket committed between our read and our
        // update: it got in, this one did not.
        return find(code).value_or(Outcome{});
    }
    AuditLog(m_db, m_clock)
        .record(m_actor, QStringLiteral("ticket.checkin"), outcome->order, outcome->ticket.event,
            {{QStringLiteral("seat"), outcome->ticket.seat}});
    outcome->at = now;
    outcome->ticket.details->redeemedAt = now;
    return *outcome;
}

std::optional<CheckInService::Counts> CheckInService::counts(const QString &event) const
{
    Sql::Rows found = Sql::exec(m_db,
        QStringLiteral("SELECT e.id, COUNT(l.id), COUNT(l.redeemed_at) FROM events e"
                       " LEFT JOIN order_lines l ON l.event_id = e.id AND l.state = 'valid'"
                       " AND l.code IS NOT NULL"
                       " AND l.order_id IN (SELECT id FROM orders WHERE state = 'paid')"
                       " WHERE e.slug = ? GROUP BY e.id"),
        {event});
    if (!found.next())
        return std::nullopt;
    return Counts{found.value(2).toInt(), found.value(1).toInt()};
}

} // namespace Marquee
