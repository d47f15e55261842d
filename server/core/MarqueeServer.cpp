#include "MarqueeServer.h"

#include "ApiServer.h"
#include "AuditController.h"
#include "CartsController.h"
#include "ChannelHub.h"
#include "CheckInController.h"
#include "Clock.h"
#include "CounterController.h"
#include "CredentialsController.h"
#include "DatabaseRelay.h"
#include "DemoSeeder.h"
#include "DemoUsers.h"
#include "EventCatalog.h"
#include "EventRepository.h"
#include "EventsController.h"
#include "HoldExpiry.h"
#include "Housekeeping.h"
#include "LimitedTcpServer.h"
#include "Metrics.h"
#include "OperatorsController.h"
#include "OrderMail.h"
#include "OrdersController.h"
#include "PasswordWork.h"
#include "PaymentSetup.h"
#include "PaymentsController.h"
#include "PendingRefunds.h"
#include "ServerSecrets.h"
#include "SessionsController.h"
#include "Storage.h"
#include "StorageGate.h"
#include "TestPaymentPage.h"
#include "TlsSetup.h"
#include "UsersController.h"
#include "WebhooksController.h"

#include <QFile>

namespace Marquee {

MarqueeServer::MarqueeServer(ServerOptions options, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock(clock)
    , m_metrics(std::make_unique<Metrics>(clock.now()))
    , m_storage(std::make_unique<Storage>(m_options.database, clock))
    , m_hub(std::make_unique<ChannelHub>(m_options.channelLimits))
    , m_catalog(std::make_unique<EventCatalog>())
{
    HoldRules rules;
    rules.holdSeconds = m_options.holdSeconds;
    rules.maxPerClient = m_options.clientHoldLimit;
    m_expiry = std::make_unique<HoldExpiry>(*m_storage, *m_hub, clock, rules);
    // A group commit's changes to events, one per event
    // (GroupEventWrites): the jobs' own results carry none of them.
    m_storage->setGroupChangesObserver(
        [hub = m_hub.get()](const AvailabilityChanges &changes) { hub->publish(changes); });
    m_housekeeping = std::make_unique<Housekeeping>(*m_storage, clock);
    m_http = std::make_unique<ApiServer>(*m_hub, clock);
    m_passwords = std::make_unique<PasswordWork>();
    m_http->setAllowedOrigins(m_options.allowedOrigins);
    m_http->setTrustedProxies(m_options.trustedProxies);
    if (m_options.writesPerSecond > 0)
        m_http->setWriteLimit(
            {m_options.writesPerSecond, m_options.writesPerSecond * 3}, m_options.trustLoopback);
    if (m_options.readsPerSecond > 0)
        m_http->setReadLimit(
            {m_options.readsPerSecond, m_options.readsPerSecond * 4}, m_options.trustLoopback);
    m_http->router().setStorageAdmission(
        [gate = StorageGate(*m_storage, m_options.storageQueueLimit)](
            HttpReply &reply) { return gate.admit(reply); });
    m_events = std::make_unique<EventsController>(m_http->router(), *m_catalog, *m_hub);
    m_carts = std::make_unique<CartsController>(m_http->router(), *m_storage, *m_hub, *m_expiry,
        rules, CartLimits{m_options.cartsPerMinute, m_options.trustLoopback}, clock);
    m_counter = std::make_unique<CounterController>(m_http->router(), *m_storage, *m_hub);
    m_paymentSetup = std::make_unique<PaymentSetup>();
    m_refunds = std::make_unique<PendingRefunds>(*m_storage, m_paymentSetup->providers());
    m_payments = std::make_unique<PaymentsController>(m_http->router(), *m_storage, *m_hub,
        *m_expiry, *m_paymentSetup, PaymentRules{m_options.paymentSeconds});
    m_webhooks = std::make_unique<WebhooksController>(
        m_http->router(), *m_storage, *m_hub, *m_paymentSetup, clock);
    m_testPaymentPage = std::make_unique<TestPaymentPage>(
        m_http->router(), *m_storage, *m_webhooks, *m_paymentSetup, clock);
    m_checkIn = std::make_unique<CheckInController>(m_http->router(), *m_storage);
    if (!m_options.smtp.isEmpty()) {
        m_orderMail = std::make_unique<OrderMail>(
            m_options.smtp, m_options.mailFrom, *m_storage, *m_paymentSetup);
        m_webhooks->setPaidObserver(
            [mail = m_orderMail.get()](const QString &order) { mail->orderPaid(order); });
    }
    m_orders = std::make_unique<OrdersController>(
        m_http->router(), *m_storage, *m_hub, *m_paymentSetup, m_options.clerkRefundLimit);
    // A refund that is due is asked for at once, not at the next round.
    const auto askNow = [refunds = m_refunds.get()] { refunds->runOnce(); };
    m_webhooks->setRefundDueObserver(askNow);
    m_orders->setRefundDueObserver(askNow);
    m_sessions = std::make_unique<SessionsController>(m_http->router(), *m_storage, *m_passwords);
    m_users = std::make_unique<UsersController>(m_http->router(), *m_storage, *m_passwords);
    m_credentials = std::make_unique<CredentialsController>(m_http->router(), *m_storage);
    m_audit = std::make_unique<AuditController>(m_http->router(), *m_storage);
    m_operators
        = std::make_unique<OperatorsController>(m_http->router(), *m_storage, *m_metrics, clock,
            OperatorSettings{
                m_options.metricsAllowed, m_options.storageQueueLimit, m_options.healthTimeoutMs});
    setUpMetrics();
}

void MarqueeServer::setUpMetrics()
{
    Metrics *const metrics = m_metrics.get();
    m_http->setMetrics(metrics);
    m_carts->setMetrics(metrics);
    connect(m_expiry.get(), &HoldExpiry::released, this,
        [metrics](int holds) { metrics->countHoldsReleased(Metrics::Release::Expired, holds); });
    m_storage->setCommitObserver(
        [metrics](std::chrono::microseconds took) { metrics->commitLatency().observe(took); });
    m_hub->setFanOutObserver(
        [metrics](std::chrono::microseconds took) { metrics->fanOutLatency().observe(took); });

    // Gauges are read when /metrics is rendered, on this thread.
    metrics->addGauge(QByteArrayLiteral("marquee_http_connections"),
        QByteArrayLiteral("HTTP connections open (channels not included)."),
        [this] { return m_tcp ? double(m_tcp->openConnections()) : 0.0; });
    metrics->addGauge(QByteArrayLiteral("marquee_channel_subscribers"),
        QByteArrayLiteral("WebSocket subscribers of all event channels."), [this] {
            double total = 0;
            for (const EventInfo &event : m_catalog->events())
                total += m_hub->subscriberCount(event.slug);
            return total;
        });
    metrics->addGaugeFamily(QByteArrayLiteral("marquee_channel_event_subscribers"),
        QByteArrayLiteral("WebSocket subscribers of each event's channel."), [this] {
            QList<Metrics::Sample> samples;
            for (const EventInfo &event : m_catalog->events())
                samples.append({{{QByteArrayLiteral("event"), event.slug}},
                    double(m_hub->subscriberCount(event.slug))});
            return samples;
        });
    metrics->addGauge(QByteArrayLiteral("marquee_storage_jobs_waiting"),
        QByteArrayLiteral("Storage jobs posted that have not started (the storage queue)."),
        [this] { return double(m_storage->waiting()); });
}

MarqueeServer::~MarqueeServer()
{
    // Stop the storage thread first: no job may finish into a half-destroyed
    // server.
    m_storage.reset();
}

bool MarqueeServer::start(QString *error)
{
    if (!loadSmtpPassword(error) || !m_storage->open(error))
        return false;
    if (m_options.database.backend == DatabaseConfig::Backend::Postgres) {
        // Other servers may share this database. LISTEN before the state is
        // loaded: a change committed in between is then heard (and ignored
        // if the load already saw it) instead of lost.
        m_relay
            = std::make_unique<DatabaseRelay>(m_options.database, *m_hub, m_options.listenTiming);
        if (!m_relay->start(error))
            return false;
        connect(
            m_relay.get(), &DatabaseRelay::expiryAnnounced, m_expiry.get(), &HoldExpiry::expect);
        connect(m_relay.get(), &DatabaseRelay::resyncNeeded, this, [this] { resync(); });
    }
    connect(m_storage.get(), &Storage::reconnected, this, [this] { resync(); });
    try {
        const bool demo = m_options.demo;
        if (demo)
            m_storage->runBlocking<bool>([arena = m_options.demoArena](StorageSession &s) {
                DemoSeeder::seed(s.db, s.clock);
                if (arena)
                    DemoSeeder::seedArena(s.db, s.clock);
                return true;
            });
        if (demo)
            m_demoAccounts = DemoUsers::createOnce(*m_storage);
        loadPaymentSecrets();
        m_hub->store().load(m_storage->runBlocking<AvailabilityChanges>(
            [](StorageSession &s) { return EventRepository(s.db).loadAvailability(); }));
        m_catalog->load(m_storage->runBlocking<QList<EventInfo>>(
            [](StorageSession &s) { return EventRepository(s.db).catalog(); }));
    } catch (const StorageError &failure) {
        *error = QString::fromStdString(failure.what());
        return false;
    }
    connect(m_hub.get(), &ChannelHub::reloadNeeded, this, &MarqueeServer::reload);
    m_expiry->releaseDue();
    m_housekeeping->start();
    m_refunds->start();

    LimitedTcpServer::Limits limits;
    limits.exemptLoopback = m_options.trustLoopback;
    limits.trustedProxies = m_options.trustedProxies;
    if (!m_options.tlsCert.isEmpty()) {
        const auto tls = TlsSetup::load(m_options.tlsCert, m_options.tlsKey, error);
        if (!tls)
            return false;
        for (const QString &warning : tls->warnings)
            qWarning("TLS: %s", qPrintable(warning));
        limits.tls = tls->configuration;
        m_tlsFingerprint = TlsSetup::fingerprint(tls->configuration.localCertificate());
    }
    m_tcp = new LimitedTcpServer(limits, m_http.get());
    m_tcp->setMaxPendingConnections(1024);
    m_tcp->setMetrics(m_metrics.get());
    if (!m_tcp->listen(m_options.address, m_options.port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_options.address.toString())
                     .arg(m_options.port)
                     .arg(m_tcp->errorString());
        return false;
    }
    m_http->bindLimited(m_tcp);
    m_paymentSetup->setPublicUrl(publicUrl());
    return true;
}

void MarqueeServer::setTicketRenderer(const TicketPdfRenderer &renderer)
{
    m_orders->setTicketRenderer(renderer);
    if (m_orderMail)
        m_orderMail->setRenderer(renderer);
}

bool MarqueeServer::loadSmtpPassword(QString *error)
{
    if (!m_orderMail || m_options.smtpPasswordFile.isEmpty())
        return true;
    QFile file(m_options.smtpPasswordFile);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read --smtp-password-file %1: %2")
                     .arg(m_options.smtpPasswordFile, file.errorString());
        return false;
    }
    m_orderMail->setCredentials(
        m_options.smtp.userName(), QString::fromUtf8(file.readLine()).trimmed());
    return true;
}

QString MarqueeServer::publicUrl() const
{
    if (!m_options.publicUrl.isEmpty())
        return m_options.publicUrl;
    QHostAddress host = m_options.address;
    if (host == QHostAddress::AnyIPv4 || host == QHostAddress::Any)
        host = QHostAddress::LocalHost;
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress::LocalHostIPv6;
    const QString name = host.protocol() == QAbstractSocket::IPv6Protocol
        ? u'[' + host.toString() + u']'
        : host.toString();
    const QString url
        = QStringLiteral("%1://%2:%3")
              .arg(m_options.tlsCert.isEmpty() ? QStringLiteral("http") : QStringLiteral("https"),
                  name)
              .arg(port());
    if (m_orderMail && !host.isLoopback())
        qWarning("mail: links in e-mails go to %s; give --public-url if buyers reach the server"
                 " by another name",
            qPrintable(url));
    return url;
}

void MarqueeServer::loadPaymentSecrets()
{
    const auto secrets
        = m_storage->runBlocking<std::pair<QByteArray, QByteArray>>([](StorageSession &s) {
              return std::pair{ServerSecrets::obtain(s.db, s.clock, PaymentSetup::linkSecretName()),
                  ServerSecrets::obtain(s.db, s.clock, PaymentSetup::testProviderSecretName())};
          });
    m_paymentSetup->load(secrets.first, secrets.second);
    // Today the only provider: right for the demo and tests, not for selling.
    qWarning("payments: online payments go through the built-in test provider; no money moves");
}

void MarqueeServer::resync()
{
    // Changes may have gone unheard while a connection was down: every
    // event is read again (subscribers of a changed one get a snapshot), and
    // the expiry timer is set from the database again.
    reload({});
    m_expiry->releaseDue();
}

void MarqueeServer::refreshCatalog()
{
    m_storage->run<QList<EventInfo>>(
        [](StorageSession &s) { return EventRepository(s.db).catalog(); },
        [this](std::optional<QList<EventInfo>> events, const QString &error) {
            if (!events) {
                qWarning("catalog: %s", qPrintable(error));
                return;
            }
            m_catalog->load(std::move(*events));
        });
}

void MarqueeServer::reload(const QString &event)
{
    // Whatever made an event's availability worth reading again (a lost
    // notice, another server's "reload") may have changed the event itself.
    refreshCatalog();
    m_storage->run<AvailabilityChanges>(
        [event](StorageSession &s) { return EventRepository(s.db).loadAvailability(event); },
        [this](std::optional<AvailabilityChanges> full, const QString &error) {
            if (!full) {
                qWarning("reload: %s", qPrintable(error));
                return;
            }
            for (const AvailabilityChange &state : std::as_const(*full))
                m_hub->reloaded(state);
        });
}

quint16 MarqueeServer::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

} // namespace Marquee
