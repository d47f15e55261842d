#pragma once

#include "AddressRange.h"
#include "ChannelLimits.h"
#include "DatabaseConfig.h"
#include "NoticeListener.h"

#include <QHostAddress>
#include <QStringList>
#include <QUrl>
#include <optional>

namespace Marquee {

/// The server's command line (the contract in ARCHITECTURE.md), parsed.
struct ServerOptions
{
    DatabaseConfig database;
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8080;
    qint64 holdSeconds = 15 * 60;
    qint64 paymentSeconds = 10 * 60; ///< how long a buyer has on the provider's page
    /// Where buyers reach this server ("https://tickets.example.org"), for
    /// links in e-mails; empty: the --listen address.
    QString publicUrl;
    QUrl smtp; ///< --smtp URL: order confirmations by e-mail; empty: none sent
    QString mailFrom = QStringLiteral("Marquee Box Office <tickets@localhost>");
    /// --smtp-password-file: the SMTP password (the URL's user name logs in);
    /// read at start, never on the command line.
    QString smtpPasswordFile;
    bool demo = false;
    /// With demo: the 20,000-seat arena too (no flag: --demo has it; tests'
    /// servers leave it out, 20,000 seats per test would slow them all).
    bool demoArena = true;
    bool check = false; ///< run the invariants check and exit
    QString addUser; ///< --add-user NAME: store a user (password from stdin) and exit
    QString staffRole = QStringLiteral("clerk"); ///< for --add-user
    /// --issue-credential NAME: print a new machine credential and exit.
    QString issueCredential;
    QString credentialPurpose = QStringLiteral("payments");
    int credentialDays = 90;
    /// Orders up to this total (minor units) a clerk may refund.
    qint64 clerkRefundLimit = 10'000;
    QStringList allowedOrigins;
    double writesPerSecond = 20; ///< per client address; 0 turns the limit off
    double readsPerSecond = 50; ///< GETs per client address, bursts of 4x; 0 = off
    int cartsPerMinute = 10; ///< new carts per client address; 0 = off
    int clientHoldLimit = 40; ///< live held seats and places per client address; 0 = off
    int storageQueueLimit = 256; ///< waiting storage jobs before requests get 503
    bool trustLoopback = true; ///< no per-address limits for loopback clients
    ListenTiming listenTiming; ///< PostgreSQL: how the LISTEN connection is watched
    /// Reverse proxies whose X-Forwarded-For names the client (--trusted-proxy).
    QList<QHostAddress> trustedProxies;
    QString tlsCert; ///< --tls-cert PATH (PEM); with tlsKey, HTTPS and WSS
    QString tlsKey; ///< --tls-key PATH (PEM, unencrypted, readable by the server only)
    /// Who besides loopback may read GET /metrics (--metrics-allow).
    QList<AddressRange> metricsAllowed;
    /// How long GET /healthz waits for the database; no command line, tests shorten it.
    int healthTimeoutMs = 2'000;
    ChannelLimits channelLimits; ///< tests shorten them; --channel-threads sets senderThreads

    /// nullopt with a message in \a error for bad input (the caller exits
    /// with 2); --help and --version print and exit inside.
    static std::optional<ServerOptions> parse(const QStringList &arguments, QString *error);
};

} // namespace Marquee
