#pragma once

#include "AvailabilityChange.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace Marquee {

class Clock;

/// Turns a cart's live holds into a paid order in one transaction. Used by
/// the counter's cash sale now; online payment confirmation builds on it.
class SaleService
{
public:
    struct Ticket
    {
        QString event;
        QString seat; ///< empty for general admission
        QString category;
        qint64 price = 0;
    };

    struct Outcome
    {
        enum class Status { Sold, NothingToSell, MixedCurrencies };
        Status status = Status::NothingToSell;
        QString order;
        qint64 total = 0;
        QString currency;
        QList<Ticket> tickets;
        AvailabilityChanges changes;
    };

    SaleService(QSqlDatabase db, const Clock &clock);

    Outcome sellCart(const QString &cartId, const QString &channel, const QString &payment) const;

private:
    QSqlDatabase m_db;
    const Clock &m_clock;
};

} // namespace Marquee
