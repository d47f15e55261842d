#include "Access.h"

#include "Authenticator.h"
#include "CartService.h"
#include "HttpReply.h"

namespace Marquee {

Authorized authorize(
    const QSqlDatabase &db, const Clock &clock, const QString &token, Permission action)
{
    const auto who = Authenticator(db, clock).identify(token);
    if (!who)
        return {};
    return {
        allows(*who, action) ? Authorized::Verdict::Allowed : Authorized::Verdict::Forbidden, *who};
}

void refuse(HttpReply &reply, Authorized::Verdict verdict, const QString &what)
{
    if (verdict == Authorized::Verdict::Forbidden)
        return reply.error(403, QStringLiteral("forbidden"),
            QStringLiteral("Your account may not do this; it needs %1.").arg(what));
    reply.error(401, QStringLiteral("unauthorized"),
        QStringLiteral("This call needs %1; sign in again.").arg(what));
}

bool cartOwnerOr(const QSqlDatabase &db, const Clock &clock, const QString &cartId,
    const QString &token, Permission action)
{
    if (!cartId.isEmpty() && CartService(db, clock).authorize(cartId, token))
        return true;
    return authorize(db, clock, token, action).allowed();
}

} // namespace Marquee
