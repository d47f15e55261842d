#pragma once

#include "OrderLinks.h"
#include "PaymentProviders.h"

#include <optional>

namespace Marquee {

class TestProvider;

/// The providers and the order links, which need secrets from the database:
/// the controllers are made with the server, the secrets are read when it
/// starts (before it listens), so they share this and find it filled.
class PaymentSetup
{
public:
    PaymentSetup();
    ~PaymentSetup();

    /// Secret names in server_secrets.
    static QString linkSecretName() { return QStringLiteral("order-links"); }
    static QString testProviderSecretName() { return QStringLiteral("payments-test"); }

    void load(const QByteArray &linkSecret, const QByteArray &testProviderSecret);
    /// Where buyers reach the server ("https://tickets.example.org"), known
    /// once it listens; links in e-mails start with it.
    void setPublicUrl(const QString &url) { m_publicUrl = url; }
    QString publicUrl() const { return m_publicUrl; }
    /// The order's page with the public URL in front.
    QString orderUrl(const QString &order) const { return m_publicUrl + m_links->path(order); }

    const PaymentProviders &providers() const { return m_providers; }
    /// For registering a provider (a venue's own, a test's) after load().
    PaymentProviders &providers() { return m_providers; }
    /// The built-in provider, whose hosted page this server serves.
    const TestProvider &testProvider() const { return *m_test; }
    const OrderLinks &links() const { return *m_links; }

private:
    QString m_publicUrl;
    PaymentProviders m_providers;
    const TestProvider *m_test = nullptr; ///< owned by m_providers
    std::optional<OrderLinks> m_links;
};

} // namespace Marquee
