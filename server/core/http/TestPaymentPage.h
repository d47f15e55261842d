#pragma once

#include "PaymentService.h"

#include <QCoreApplication>

namespace Marquee {

class Clock;
class HttpReply;
class PaymentSetup;
class Router;
class Storage;
class WebhooksController;
struct HttpRequest;

/// The built-in test provider's hosted page, /pay/test/{payment}?key=…:
/// what the buyer pays, with Pay and Decline. A button sends the provider's
/// signed report through the webhook route's own code (signature checked),
/// then sends the browser on: to the order's page after paying, back to
/// the cart after declining.
class TestPaymentPage
{
    Q_DECLARE_TR_FUNCTIONS(TestPaymentPage)

public:
    TestPaymentPage(Router &router, Storage &storage, WebhooksController &webhooks,
        const PaymentSetup &payments, const Clock &clock);

private:
    void show(const HttpRequest &request, HttpReply reply);
    void decide(const HttpRequest &request, HttpReply reply);
    /// The page, or nullopt-with-404 when the link's key is wrong.
    QByteArray page(const PaymentService::Summary &summary, const QString &key) const;
    /// Where the browser goes once the report was answered.
    QString nextPage(const QString &order, int status, const QJsonObject &answer) const;

    Storage &m_storage;
    WebhooksController &m_webhooks;
    const PaymentSetup &m_payments;
    const Clock &m_clock;
};

} // namespace Marquee
