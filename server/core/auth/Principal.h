#pragma once

#include "Role.h"

#include <QString>

namespace Marquee {

/// Who a bearer token speaks for: a signed-in staff member, or a machine
/// credential (the payment provider, a ticket scanner). Machines have no
/// staff role at all, so no staff permission can leak to them.
struct Principal
{
    enum class Kind
    {
        Staff,
        PaymentProvider,
        Scanner
    };
    Kind kind = Kind::Staff;
    Role role = Role::Clerk; ///< staff only
    QString name; ///< the user's or the credential's name

    /// How the audit trail names it: "anna", or "credential:stripe".
    QString actor() const
    {
        return kind == Kind::Staff ? name : QStringLiteral("credential:") + name;
    }
};

} // namespace Marquee
