#pragma once

#include <QString>
#include <optional>

namespace Marquee {

/// What a staff member may do; each role may do everything of the ones
/// before it (see Permissions for the exact split).
enum class Role
{
    Clerk,
    Manager,
    Admin
};

QString roleName(Role role);
std::optional<Role> roleFromName(const QString &name);

} // namespace Marquee
