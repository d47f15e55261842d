#pragma once

#include "Principal.h"

namespace Marquee {

/// Every action that needs more than a cart's token. The split between the
/// roles lives in one place (Permissions.cpp), so a controller asks for an
/// action and never compares roles itself.
enum class Permission
{
    Sell, ///< counter sales, taking payments, printing
    CheckIn, ///< scanning tickets at the door
    ViewOrders, ///< any order, not only one's own cart's
    RefundUpToLimit, ///< refunds of orders up to the clerk limit
    RefundAny,
    Void,
    ReleaseHouseSeats,
    EditPlans,
    EditEvents,
    EditPrices,
    ReadReports,
    ReadAllShifts, ///< other clerks' shifts; one's own is always readable
    ReadAudit,
    ManageUsers,
    ManageCredentials, ///< machine credentials: payment provider, scanners
    ReportPayments, ///< the payment provider's callback, and nothing else
};

/// Whether \a who may do \a action.
bool allows(const Principal &who, Permission action);

} // namespace Marquee
