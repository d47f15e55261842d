#pragma once

#include "PaymentService.h"

namespace Marquee {

class ChannelHub;
class HoldExpiry;
class Router;
class Storage;

/// Online checkout: payment start (POST /api/v1/carts/{cart}/checkout) and
/// payment confirmation (POST /api/v1/payments/{payment}/confirm).
class PaymentsController
{
public:
    PaymentsController(
        Router &router, Storage &storage, ChannelHub &hub, HoldExpiry &expiry, PaymentRules rules);

private:
    void registerRoutes(Router &router);

    Storage &m_storage;
    ChannelHub &m_hub;
    HoldExpiry &m_expiry;
    PaymentRules m_rules;
};

} // namespace Marquee
