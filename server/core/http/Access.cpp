#include "Access.h"

#include "CartService.h"
#include "StaffTokens.h"

namespace Marquee {

bool staffOrCartOwner(
    const QSqlDatabase &db, const Clock &clock, const QString &cartId, const QString &token)
{
    if (!cartId.isEmpty() && CartService(db, clock).authorize(cartId, token))
        return true;
    return StaffTokens(db, clock).verify(token);
}

} // namespace Marquee
