#include "CounterSaleService.h"

#include "CartService.h"
#include "Clock.h"
#include "OrderService.h"
#include "Sql.h"
#include "Tokens.h"

namespace Marquee {

namespace {

using Status = SaleService::Outcome::Status;

QString statusName(Status status)
{
    switch (status) {
    case Status::Sold:
        return QStringLiteral("sold");
    case Status::HoldLost:
        return QStringLiteral("hold_lost");
    case Status::MixedCurrencies:
        return QStringLiteral("mixed_currencies");
    case Status::NothingToSell:
        break;
    }
    return QStringLiteral("nothing_to_sell");
}

Status statusFromName(const QString &name)
{
    if (name == QLatin1String("sold"))
        return Status::Sold;
    if (name == QLatin1String("hold_lost"))
        return Status::HoldLost;
    if (name == QLatin1String("mixed_currencies"))
        return Status::MixedCurrencies;
    return Status::NothingToSell;
}

} // namespace

CounterSaleService::CounterSaleService(QSqlDatabase db, const Clock &clock, AuditActor actor)
    : m_db(std::move(db))
    , m_clock(clock)
    , m_actor(std::move(actor))
{
}

QString CounterSaleService::fingerprint(const Request &request)
{
    return Tokens::hash(request.cart + u'\n' + request.payment + u'\n' + request.holds.join(u','));
}

CounterSaleService::Outcome CounterSaleService::sell(const Request &request) const
{
    Transaction transaction(m_db);
    CartService::lock(m_db, request.cart);
    // The key's row first: a second attempt with the same key waits here
    // for the first one's transaction (PostgreSQL's unique index), then
    // finds its outcome.
    Sql::Rows claim = Sql::exec(m_db,
        QStringLiteral("INSERT INTO counter_sales (idempotency_key, request_hash, outcome,"
                       " created_at) VALUES (?, ?, 'pending', ?)"
                       " ON CONFLICT (idempotency_key) DO NOTHING"),
        {request.key, fingerprint(request), isoUtc(m_clock.now())});
    if (claim.numRowsAffected() != 1) {
        Sql::Rows first = Sql::exec(m_db,
            QStringLiteral("SELECT request_hash, outcome, order_id, lost_holds FROM counter_sales"
                           " WHERE idempotency_key = ?"),
            {request.key});
        first.next();
        if (first.value(0).toString() != fingerprint(request))
            return {{}, false, true};
        return {
            replay(first.value(1).toString(), first.value(2).toString(), first.value(3).toString()),
            true, false};
    }

    SaleService::Outcome sale = SaleService(m_db, m_clock)
                                    .sellCartLocked(request.cart, QStringLiteral("counter"),
                                        request.payment, request.holds);
    Sql::exec(m_db,
        QStringLiteral("UPDATE counter_sales SET outcome = ?, order_id = ?, lost_holds = ?"
                       " WHERE idempotency_key = ?"),
        {statusName(sale.status), sale.order.isEmpty() ? QVariant() : QVariant(sale.order),
            sale.lostHolds.isEmpty() ? QStringLiteral("") : sale.lostHolds.join(u','),
            request.key});
    // A refusal is kept too: the same key gets the same answer, and a new
    // attempt by the clerk comes with a new key.
    if (sale.status != Status::Sold)
        sale.changes.clear();
    else
        audit(request, sale);
    transaction.commit(sale.changes);
    return {sale, false, false};
}

void CounterSaleService::audit(const Request &request, const SaleService::Outcome &sale) const
{
    QJsonObject details{{QStringLiteral("cart"), request.cart},
        {QStringLiteral("total"), sale.total}, {QStringLiteral("payment"), request.payment}};
    const QString event = AuditLog::eventOf(sale.changes, &details);
    AuditLog(m_db, m_clock)
        .record(m_actor, QStringLiteral("order.sell"), sale.order, event, details);
}

SaleService::Outcome CounterSaleService::replay(
    const QString &outcome, const QString &order, const QString &lostHolds) const
{
    SaleService::Outcome sale;
    sale.status = statusFromName(outcome);
    if (!lostHolds.isEmpty())
        sale.lostHolds = lostHolds.split(u',');
    if (sale.status != Status::Sold)
        return sale;
    // The order as it is now: the same order, its tickets and total.
    const auto found = OrderService(m_db, m_clock).find(order);
    if (!found)
        throw StorageError(QStringLiteral("counter sale %1 lost its order").arg(order));
    sale.order = found->id;
    sale.total = found->total;
    sale.currency = found->currency;
    sale.tickets = found->tickets;
    return sale;
}

} // namespace Marquee
