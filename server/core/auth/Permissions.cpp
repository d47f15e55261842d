#include "Permissions.h"

#include <optional>

namespace Marquee {

namespace {

/// The least staff role allowed \a action; none for actions no person does.
std::optional<Role> minimumRole(Permission action)
{
    switch (action) {
    case Permission::Sell:
    case Permission::CheckIn:
    case Permission::ViewOrders:
    case Permission::RefundUpToLimit:
        return Role::Clerk;
    case Permission::RefundAny:
    case Permission::Void:
    case Permission::ReleaseHouseSeats:
    case Permission::EditPlans:
    case Permission::EditEvents:
    case Permission::EditPrices:
    case Permission::ReadReports:
    case Permission::ReadAllShifts:
    case Permission::ReadAudit:
        return Role::Manager;
    case Permission::ManageUsers:
    case Permission::ManageCredentials:
        return Role::Admin;
    case Permission::ReportPayments:
        // Marking an order paid is the provider's word, never a person's.
        break;
    }
    return std::nullopt;
}

} // namespace

bool allows(const Principal &who, Permission action)
{
    switch (who.kind) {
    case Principal::Kind::PaymentProvider:
        // Whoever took the money says so; the provider can do nothing else.
        return action == Permission::ReportPayments;
    case Principal::Kind::Scanner:
        return action == Permission::CheckIn;
    case Principal::Kind::Staff: {
        const std::optional<Role> least = minimumRole(action);
        return least && int(who.role) >= int(*least);
    }
    }
    Q_UNREACHABLE();
}

} // namespace Marquee
