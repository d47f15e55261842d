#pragma once

#include <QSqlDatabase>
#include <QString>

namespace Marquee {

class Clock;

/// Who may act on an order or payment: the staff, or whoever holds the
/// token of the cart it came from.
bool staffOrCartOwner(
    const QSqlDatabase &db, const Clock &clock, const QString &cartId, const QString &token);

} // namespace Marquee
