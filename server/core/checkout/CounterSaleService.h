#pragma once

#include "AuditLog.h"
#include "SaleService.h"

#include <QSqlDatabase>
#include <QStringList>

namespace Marquee {

class Clock;

/// The counter's cash sale, made idempotent: each attempt is kept under the
/// terminal's idempotency key with what came of it, in the transaction that
/// sells. When the answer to a sale is lost and the terminal asks again with
/// the same key, it gets the same order — not "nothing to sell" for the
/// holds that sale already sold, which would make a clerk hand the cash back.
class CounterSaleService
{
public:
    struct Request
    {
        QString key; ///< the terminal's Idempotency-Key
        QString cart;
        QString payment; ///< "cash"
        QStringList holds; ///< exactly these, or empty for every live hold
    };

    struct Outcome
    {
        SaleService::Outcome sale;
        bool replayed = false; ///< the first answer to this key, again
        bool keyReused = false; ///< the key came with another request: nothing done
    };

    /// \a actor is the clerk the audit trail names for the sale.
    CounterSaleService(QSqlDatabase db, const Clock &clock, AuditActor actor);

    Outcome sell(const Request &request) const;

private:
    static QString fingerprint(const Request &request);
    /// The sale's audit entry, with the event it sold for.
    void audit(const Request &request, const SaleService::Outcome &sale) const;
    SaleService::Outcome replay(
        const QString &outcome, const QString &order, const QString &lostHolds) const;

    QSqlDatabase m_db;
    const Clock &m_clock;
    AuditActor m_actor;
};

} // namespace Marquee
