#pragma once

#include "Permissions.h"

#include <QSqlDatabase>
#include <QString>

namespace Marquee {

class Clock;
class HttpReply;

/// The answer to "may this token do that?", taken on the storage thread
/// and rendered by the controller.
struct Authorized
{
    enum class Verdict
    {
        Allowed,
        Unknown, ///< no live session or credential: 401
        Forbidden ///< known, but not allowed: 403
    };
    Verdict verdict = Verdict::Unknown;
    Principal who;

    bool allowed() const { return verdict == Verdict::Allowed; }
};

Authorized authorize(
    const QSqlDatabase &db, const Clock &clock, const QString &token, Permission action);

/// Answers 401 or 403 for a refused \a verdict; \a what says what the call
/// needs ("a manager's session").
void refuse(HttpReply &reply, Authorized::Verdict verdict, const QString &what);

/// Who may see an order or payment: whoever holds the token of the cart it
/// came from, or staff allowed \a action.
bool cartOwnerOr(const QSqlDatabase &db, const Clock &clock, const QString &cartId,
    const QString &token, Permission action);

/// What a guarded storage job returns: the verdict, and the outcome when
/// it was allowed.
template <typename Outcome> struct Guarded
{
    Authorized access;
    Outcome outcome{};
};

} // namespace Marquee
