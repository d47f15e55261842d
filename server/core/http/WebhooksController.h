#pragma once

#include "PaymentProvider.h"

#include <QJsonObject>
#include <functional>

namespace Marquee {

class ChannelHub;
class Clock;
class HttpReply;
class PaymentSetup;
class Router;
class Storage;
struct HttpRequest;

/// POST /api/v1/payments/webhooks/{provider}: a provider's signed report
/// that a payment succeeded or failed. The signature is the only
/// authority: no bearer token, no session. A forged or stale report
/// changes nothing (400); a repeated one gets the first answer again.
class WebhooksController
{
public:
    struct Answer
    {
        int status = 200;
        QJsonObject body;
    };
    using Done = std::function<void(const Answer &)>;

    WebhooksController(Router &router, Storage &storage, ChannelHub &hub,
        const PaymentSetup &payments, const Clock &clock);

    /// What the route does with one report, for the test provider's page
    /// too: its buttons report through here, signature and all.
    void deliver(const QString &providerName, const QByteArray &signature, const QByteArray &body,
        const QString &address, Done done);

    /// Told of each order a report made paid (once: not for a repeat).
    void setPaidObserver(std::function<void(const QString &order)> observer)
    {
        m_paid = std::move(observer);
    }
    /// Told when a report left a payment refund_due (PendingRefunds asks
    /// its provider for the money then).
    void setRefundDueObserver(std::function<void()> observer) { m_refundDue = std::move(observer); }

private:
    void receive(const HttpRequest &request, HttpReply reply);
    void apply(const PaymentProvider &provider, const ProviderEvent &event, const QString &address,
        Done done);

    Storage &m_storage;
    ChannelHub &m_hub;
    const PaymentSetup &m_payments;
    const Clock &m_clock;
    std::function<void(const QString &)> m_paid;
    std::function<void()> m_refundDue;
};

} // namespace Marquee
