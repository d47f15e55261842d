#include "SaleService.h"

#include "Clock.h"
#include "EventRepository.h"
#include "Sql.h"
#include "Tokens.h"

#include <QSet>

namespace Marquee {

SaleService::SaleService(QSqlDatabase db, const Clock &clock)
    : m_db(std::move(db))
    , m_clock(clock)
{
}

SaleService::Outcome SaleService::sellCart(const QString &cartId, const QString &channel,
                                           const QString &payment) const
{
    Transaction transaction(m_db);
    const QString now = isoUtc(m_clock.now());

    struct LiveHold
    {
        QString id;
        qint64 eventId;
        QString slug;
        bool seated;
        int quantity;
        QString currency;
    };
    QList<LiveHold> holds;
    QSet<QString> currencies;
    // Only holds that are live now: an expired hold that the timer has not
    // reached yet is not sold.
    QSqlQuery query = Sql::exec(m_db,
                                QStringLiteral("SELECT h.id, e.id, e.slug, e.kind, h.quantity, e.currency"
                                               " FROM holds h JOIN events e ON e.id = h.event_id"
                                               " WHERE h.cart_id = ? AND h.state = 'live' AND h.expires_at > ?"
                                               " ORDER BY h.id"),
                                {cartId, now});
    while (query.next()) {
        holds.append({query.value(0).toString(), query.value(1).toLongLong(), query.value(2).toString(),
                      query.value(3).toString() == QLatin1String("seated"), query.value(4).toInt(),
                      query.value(5).toString()});
        currencies.insert(holds.last().currency);
    }
    if (holds.isEmpty())
        return {};
    if (currencies.size() > 1)
        return {Outcome::Status::MixedCurrencies, {}, 0, {}, {}, {}};

    Outcome outcome;
    outcome.status = Outcome::Status::Sold;
    outcome.order = Tokens::newId(u"o");
    outcome.currency = holds.first().currency;
    Sql::exec(m_db,
              QStringLiteral("INSERT INTO orders (id, cart_id, channel, payment, state, total, currency, created_at)"
                             " VALUES (?, ?, ?, ?, 'paid', 0, ?, ?)"),
              {outcome.order, cartId, channel, payment, outcome.currency, now});

    EventRepository events(m_db);
    for (const LiveHold &hold : std::as_const(holds)) {
        if (hold.seated) {
            QSqlQuery seats = Sql::exec(m_db,
                                        QStringLiteral("SELECT s.id, s.label, p.code, p.price FROM seat_claims c"
                                                       " JOIN seats s ON s.id = c.seat_id"
                                                       " JOIN price_categories p ON p.id = s.category_id"
                                                       " WHERE c.hold_id = ? AND c.kind = 'held' ORDER BY s.id"),
                                        {hold.id});
            AvailabilityChange change;
            change.event = hold.slug;
            while (seats.next()) {
                const Ticket ticket{hold.slug, seats.value(1).toString(), seats.value(2).toString(),
                                    seats.value(3).toLongLong()};
                Sql::exec(m_db,
                          QStringLiteral("INSERT INTO order_lines (order_id, event_id, seat_id, category_code, ticket_type, price)"
                                         " VALUES (?, ?, ?, ?, 'standard', ?)"),
                          {outcome.order, hold.eventId, seats.value(0), ticket.category, ticket.price});
                outcome.tickets.append(ticket);
                outcome.total += ticket.price;
                change.seats.insert(ticket.seat, SeatState::Sold);
            }
            Sql::exec(m_db,
                      QStringLiteral("UPDATE seat_claims SET kind = 'sold', order_id = ?, hold_id = NULL"
                                     " WHERE hold_id = ? AND kind = 'held'"),
                      {outcome.order, hold.id});
            change.version = events.bumpVersion(hold.eventId);
            outcome.changes.append(change);
        } else {
            QSqlQuery category = Sql::exec(m_db,
                                           QStringLiteral("SELECT code, price FROM price_categories"
                                                          " WHERE event_id = ? ORDER BY price LIMIT 1"),
                                           {hold.eventId});
            category.next();
            for (int i = 0; i < hold.quantity; ++i) {
                const Ticket ticket{hold.slug, {}, category.value(0).toString(), category.value(1).toLongLong()};
                Sql::exec(m_db,
                          QStringLiteral("INSERT INTO order_lines (order_id, event_id, category_code, ticket_type, price)"
                                         " VALUES (?, ?, ?, 'standard', ?)"),
                          {outcome.order, hold.eventId, ticket.category, ticket.price});
                outcome.tickets.append(ticket);
                outcome.total += ticket.price;
            }
            Sql::exec(m_db,
                      QStringLiteral("UPDATE events SET ga_held = ga_held - ?, ga_sold = ga_sold + ? WHERE id = ?"),
                      {hold.quantity, hold.quantity, hold.eventId});
            outcome.changes.append(events.generalChange(hold.eventId, hold.slug));
        }
        Sql::exec(m_db, QStringLiteral("UPDATE holds SET state = 'sold' WHERE id = ?"), {hold.id});
    }
    Sql::exec(m_db, QStringLiteral("UPDATE orders SET total = ? WHERE id = ?"), {outcome.total, outcome.order});
    transaction.commit();
    return outcome;
}

} // namespace Marquee
