#pragma once

#include "PaymentConfirmation.h"
#include "PaymentService.h"

namespace Marquee {

class ChannelHub;
class HoldExpiry;
class HttpReply;
class PaymentSetup;
class Router;
class Storage;
struct HttpRequest;

/// Online checkout: payment start (POST /api/v1/carts/{cart}/checkout) and
/// payment confirmation (POST /api/v1/payments/{payment}/confirm). The
/// services decide; this class reads requests and words the answers.
class PaymentsController
{
public:
    PaymentsController(Router &router, Storage &storage, ChannelHub &hub, HoldExpiry &expiry,
        const PaymentSetup &payments, PaymentRules rules);

    /// The HTTP answer to a confirmation outcome; the same outcome always
    /// gets the same bytes, which is what a replay promises.
    static void answer(HttpReply &reply, const Confirmation &confirmation);

private:
    void start(const HttpRequest &request, HttpReply reply);
    void confirm(const HttpRequest &request, HttpReply reply);
    void answerStart(HttpReply &reply, const PaymentService::StartOutcome &start);
    /// Payment started: the provider's hosted page, then the answer.
    void answerStarted(HttpReply &reply, const PaymentService::Payment &payment);

    Storage &m_storage;
    ChannelHub &m_hub;
    HoldExpiry &m_expiry;
    const PaymentSetup &m_payments;
    PaymentRules m_rules;
};

} // namespace Marquee
