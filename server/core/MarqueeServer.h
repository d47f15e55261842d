#pragma once

#include "DemoUsers.h"
#include "ServerOptions.h"
#include "TicketDocuments.h"

#include <QObject>
#include <memory>
#include <optional>

namespace Marquee {

class ApiServer;
class AuditController;
class CartsController;
class ChannelHub;
class Clock;
class CounterController;
class CredentialsController;
class DatabaseRelay;
class EventCatalog;
class EventsController;
class HoldExpiry;
class Housekeeping;
class PendingRefunds;
class LimitedTcpServer;
class Metrics;
class OperatorsController;
class OrdersController;
class PasswordWork;
class CheckInController;
class OrderMail;
class PaymentSetup;
class PaymentsController;
class TestPaymentPage;
class WebhooksController;
class SessionsController;
class Storage;
class UsersController;

/// The whole server, put together from its parts: storage thread, channel
/// hub, hold expiry, HTTP routes. main() and the tests construct this and
/// nothing else.
class MarqueeServer : public QObject
{
    Q_OBJECT

public:
    MarqueeServer(ServerOptions options, const Clock &clock, QObject *parent = nullptr);
    ~MarqueeServer() override;

    /// Opens and migrates the database, seeds the demo when asked, loads
    /// availability, releases holds that expired while down, and listens.
    bool start(QString *error);

    quint16 port() const;
    /// Set on the very first start: the staff token to print, once.
    /// Set on the demo's first start: its staff accounts, to print once.
    QList<DemoUsers::Account> demoAccounts() const { return m_demoAccounts; }
    /// With TLS, the certificate's SHA-256 fingerprint, for the operator to
    /// read out to a counter that meets it the first time; else empty.
    QString tlsFingerprint() const { return m_tlsFingerprint; }

    Storage &storage() { return *m_storage; }
    ChannelHub &hub() { return *m_hub; }
    HoldExpiry &expiry() { return *m_expiry; }
    Metrics &metrics() { return *m_metrics; }
    /// The providers (filled by start()) and the refunds owed through them.
    PaymentSetup &payments() { return *m_paymentSetup; }
    PendingRefunds &refunds() { return *m_refunds; }

    /// Reads the event list, details and plans again into memory. The hook
    /// for whatever changes an event (a reload notice today; manager
    /// endpoints to come).
    void refreshCatalog();

    /// How tickets become a PDF (marquee_tickets' TicketPdf::render): for
    /// GET …/tickets.pdf and the confirmation e-mail. The core has no Gui.
    void setTicketRenderer(const TicketPdfRenderer &renderer);
    /// The confirmation e-mails, with --smtp; else null.
    OrderMail *orderMail() const { return m_orderMail.get(); }

private:
    /// Reads \a event (every event when empty) again and hands it to the hub.
    void reload(const QString &event);
    void resync();
    /// Hands the registry to whoever records and registers the gauges.
    void setUpMetrics();
    /// The providers' and order links' secrets, from the database.
    void loadPaymentSecrets();
    bool loadSmtpPassword(QString *error);
    /// Where buyers reach this server, for links in e-mails.
    QString publicUrl() const;

    ServerOptions m_options;
    const Clock &m_clock;
    /// First, so it goes last: answers and storage jobs record into it.
    std::unique_ptr<Metrics> m_metrics;
    std::unique_ptr<Storage> m_storage;
    std::unique_ptr<ChannelHub> m_hub;
    std::unique_ptr<EventCatalog> m_catalog;
    std::unique_ptr<HoldExpiry> m_expiry;
    std::unique_ptr<Housekeeping> m_housekeeping;
    std::unique_ptr<PendingRefunds> m_refunds;
    std::unique_ptr<ApiServer> m_http;
    std::unique_ptr<PasswordWork> m_passwords; ///< before the controllers that use it
    LimitedTcpServer *m_tcp = nullptr; ///< owned by m_http
    std::unique_ptr<EventsController> m_events;
    std::unique_ptr<CartsController> m_carts;
    std::unique_ptr<CounterController> m_counter;
    std::unique_ptr<PaymentSetup> m_paymentSetup; ///< before the controllers that use it
    std::unique_ptr<PaymentsController> m_payments;
    std::unique_ptr<WebhooksController> m_webhooks;
    std::unique_ptr<TestPaymentPage> m_testPaymentPage;
    std::unique_ptr<CheckInController> m_checkIn;
    std::unique_ptr<OrderMail> m_orderMail; ///< with --smtp
    std::unique_ptr<OrdersController> m_orders;
    std::unique_ptr<SessionsController> m_sessions;
    std::unique_ptr<UsersController> m_users;
    std::unique_ptr<CredentialsController> m_credentials;
    std::unique_ptr<AuditController> m_audit;
    std::unique_ptr<OperatorsController> m_operators;
    std::unique_ptr<DatabaseRelay> m_relay; ///< PostgreSQL only
    QList<DemoUsers::Account> m_demoAccounts;
    QString m_tlsFingerprint;
};

} // namespace Marquee
