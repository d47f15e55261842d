#include "Role.h"

namespace Marquee {

QString roleName(Role role)
{
    switch (role) {
    case Role::Clerk:
        return QStringLiteral("clerk");
    case Role::Manager:
        return QStringLiteral("manager");
    case Role::Admin:
        return QStringLiteral("admin");
    }
    Q_UNREACHABLE();
}

std::optional<Role> roleFromName(const QString &name)
{
    for (Role role : {Role::Clerk, Role::Manager, Role::Admin}) {
        if (name == roleName(role))
            return role;
    }
    return std::nullopt;
}

} // namespace Marquee
