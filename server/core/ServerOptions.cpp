#include "ServerOptions.h"

#include "Credentials.h"
#include "Role.h"

#include <QCommandLineParser>
#include <QDir>
#include <QStandardPaths>
#include <QUrl>

namespace Marquee {

namespace {

/// The per-client limits and who is exempt from them.
QList<QCommandLineOption> limitOptions()
{
    return {
        QCommandLineOption(QStringLiteral("write-limit"),
            QStringLiteral("State-changing requests per second per client address (default 20,"
                           " 0 = off; loopback clients are not limited)."),
            QStringLiteral("n"), QStringLiteral("20")),
        QCommandLineOption(QStringLiteral("read-limit"),
            QStringLiteral("GET requests (pages, files, channel opens) per second per client"
                           " address, in bursts of four times as many (default 50, 0 = off)."),
            QStringLiteral("n"), QStringLiteral("50")),
        QCommandLineOption(QStringLiteral("cart-limit"),
            QStringLiteral("New carts per minute per client address (default 10, 0 = off;"
                           " staff are not limited)."),
            QStringLiteral("n"), QStringLiteral("10")),
        QCommandLineOption(QStringLiteral("client-hold-limit"),
            QStringLiteral("Seats and places one client address may hold at once, over all its"
                           " carts (default 40, 0 = off; staff are not limited)."),
            QStringLiteral("n"), QStringLiteral("40")),
        QCommandLineOption(QStringLiteral("storage-queue"),
            QStringLiteral("Database jobs that may wait before requests are answered 503"
                           " (default 256)."),
            QStringLiteral("n"), QStringLiteral("256")),
        QCommandLineOption(QStringLiteral("channel-threads"),
            QStringLiteral("Threads that send channel messages to WebSocket subscribers (default"
                           " 0: one per core, 2 to 4)."),
            QStringLiteral("n"), QStringLiteral("0")),
        QCommandLineOption(QStringLiteral("no-loopback-exemption"),
            QStringLiteral("Apply the per-address limits (connections, writes) to loopback"
                           " clients too.")),
        QCommandLineOption(QStringLiteral("trusted-proxy"),
            QStringLiteral("Address of a reverse proxy: for its requests the client address is"
                           " the last X-Forwarded-For entry, and its connections are not capped"
                           " per address. Repeatable."),
            QStringLiteral("addr")),
    };
}

bool readLimitOptions(const QCommandLineParser &parser, ServerOptions *options, QString *error)
{
    bool limitOk = false;
    options->writesPerSecond = parser.value(QStringLiteral("write-limit")).toDouble(&limitOk);
    if (!limitOk || options->writesPerSecond < 0 || options->writesPerSecond > 100'000) {
        *error = QStringLiteral("--write-limit takes a number of requests per second, 0 for none");
        return false;
    }
    const auto count = [&parser, error](const QString &name, int minimum, int *value) {
        bool ok = false;
        *value = parser.value(name).toInt(&ok);
        if (ok && *value >= minimum && *value <= 1'000'000)
            return true;
        *error
            = QStringLiteral("--%1 takes a whole number from %2 to 1000000").arg(name).arg(minimum);
        return false;
    };
    int reads = 0;
    if (!count(QStringLiteral("read-limit"), 0, &reads)
        || !count(QStringLiteral("cart-limit"), 0, &options->cartsPerMinute)
        || !count(QStringLiteral("client-hold-limit"), 0, &options->clientHoldLimit)
        || !count(QStringLiteral("storage-queue"), 1, &options->storageQueueLimit)
        || !count(QStringLiteral("channel-threads"), 0, &options->channelLimits.senderThreads))
        return false;
    if (options->channelLimits.senderThreads > 64) {
        *error = QStringLiteral("--channel-threads takes a whole number from 0 to 64");
        return false;
    }
    options->readsPerSecond = reads;
    options->trustLoopback = !parser.isSet(QStringLiteral("no-loopback-exemption"));
    const QStringList proxies = parser.values(QStringLiteral("trusted-proxy"));
    for (const QString &text : proxies) {
        const QHostAddress address(text);
        if (address.isNull()) {
            *error = QStringLiteral("--trusted-proxy takes an IP address, e.g. 127.0.0.1 or ::1");
            return false;
        }
        options->trustedProxies.append(address);
    }
    return true;
}

/// Who besides loopback may read GET /metrics (GET /healthz is open to all).
QCommandLineOption metricsAllowOption()
{
    return QCommandLineOption(QStringLiteral("metrics-allow"),
        QStringLiteral("Address or network (CIDR, e.g. 10.0.0.5 or 10.0.0.0/24) that may read"
                       " GET /metrics; loopback always may. Repeatable, or comma-separated."),
        QStringLiteral("addr"));
}

bool readMetricsAllow(const QCommandLineParser &parser, ServerOptions *options, QString *error)
{
    const QStringList values = parser.values(QStringLiteral("metrics-allow"));
    for (const QString &value : values) {
        const QStringList entries = value.split(u',', Qt::SkipEmptyParts);
        for (const QString &entry : entries) {
            const auto range = AddressRange::parse(entry);
            if (!range) {
                *error = QStringLiteral("--metrics-allow takes IP addresses or networks, e.g."
                                        " 10.0.0.5 or 10.0.0.0/24 or fd00::/8, not \"%1\"")
                             .arg(entry.trimmed());
                return false;
            }
            options->metricsAllowed.append(*range);
        }
    }
    return true;
}

/// Staff accounts and machine credentials.
QList<QCommandLineOption> accountOptions()
{
    return {
        QCommandLineOption(QStringLiteral("add-user"),
            QStringLiteral("Create staff user NAME (or give it a new password and --role), reading"
                           " the password from standard input, and exit."),
            QStringLiteral("name")),
        QCommandLineOption(QStringLiteral("role"),
            QStringLiteral("Role for --add-user: clerk (default), manager (also refunds above"
                           " the clerk limit, voids, plans, events, prices, reports) or admin"
                           " (also users)."),
            QStringLiteral("role"), QStringLiteral("clerk")),
        QCommandLineOption(QStringLiteral("issue-credential"),
            QStringLiteral("Print a new machine credential named NAME (for the payment provider"
                           " or a scanner, see --purpose) and exit."),
            QStringLiteral("name")),
        QCommandLineOption(QStringLiteral("purpose"),
            QStringLiteral("For --issue-credential: payments (default) or scanner."),
            QStringLiteral("purpose"), QStringLiteral("payments")),
        QCommandLineOption(QStringLiteral("days"),
            QStringLiteral("For --issue-credential: days until it expires (default 90)."),
            QStringLiteral("n"), QStringLiteral("90")),
        QCommandLineOption(QStringLiteral("clerk-refund-limit"),
            QStringLiteral("Largest order total, in minor units, a clerk may refund (default"
                           " 10000)."),
            QStringLiteral("n"), QStringLiteral("10000")),
    };
}

bool readAccountOptions(const QCommandLineParser &parser, ServerOptions *options, QString *error)
{
    options->addUser = parser.value(QStringLiteral("add-user"));
    options->staffRole = parser.value(QStringLiteral("role"));
    if (!roleFromName(options->staffRole)) {
        *error = QStringLiteral("--role takes clerk, manager or admin");
        return false;
    }
    options->issueCredential = parser.value(QStringLiteral("issue-credential"));
    options->credentialPurpose = parser.value(QStringLiteral("purpose"));
    if (!Credentials::purposeFromName(options->credentialPurpose)) {
        *error = QStringLiteral("--purpose takes payments or scanner");
        return false;
    }
    bool ok = false;
    options->credentialDays = parser.value(QStringLiteral("days")).toInt(&ok);
    if (!ok || options->credentialDays < 1 || options->credentialDays > Credentials::MaxDays) {
        *error = QStringLiteral("--days takes a number from 1 to %1").arg(Credentials::MaxDays);
        return false;
    }
    options->clerkRefundLimit = parser.value(QStringLiteral("clerk-refund-limit")).toLongLong(&ok);
    if (!ok || options->clerkRefundLimit < 0) {
        *error = QStringLiteral("--clerk-refund-limit takes an amount in minor units, e.g. 10000");
        return false;
    }
    return true;
}

QList<QCommandLineOption> mailOptions()
{
    return {{QStringLiteral("smtp"),
                QStringLiteral("Send order confirmations through this SMTP server"
                               " (smtp://[user@]host:port or smtps://…); none when absent."),
                QStringLiteral("url")},
        {QStringLiteral("mail-from"),
            QStringLiteral("The confirmations' sender (default: Marquee Box Office"
                           " <tickets@localhost>)."),
            QStringLiteral("address"), QStringLiteral("Marquee Box Office <tickets@localhost>")},
        {QStringLiteral("smtp-password-file"),
            QStringLiteral("A file holding the SMTP password (readable by the server only)."),
            QStringLiteral("path")}};
}

bool readMailOptions(const QCommandLineParser &parser, ServerOptions *options, QString *error)
{
    const QString smtp = parser.value(QStringLiteral("smtp"));
    if (!smtp.isEmpty()) {
        options->smtp = QUrl(smtp, QUrl::StrictMode);
        const QString scheme = options->smtp.scheme();
        if (!options->smtp.isValid() || options->smtp.host().isEmpty()
            || (scheme != QLatin1String("smtp") && scheme != QLatin1String("smtps"))) {
            *error = QStringLiteral("--smtp takes smtp://host:port or smtps://host:port");
            return false;
        }
        if (!options->smtp.password().isEmpty()) {
            *error = QStringLiteral("--smtp must not carry a password: use --smtp-password-file");
            return false;
        }
    }
    options->mailFrom = parser.value(QStringLiteral("mail-from"));
    options->smtpPasswordFile = parser.value(QStringLiteral("smtp-password-file"));
    return true;
}

} // namespace

std::optional<ServerOptions> ServerOptions::parse(const QStringList &arguments, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Marquee box-office server"));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption db(QStringLiteral("db"),
        QStringLiteral("Database: sqlite:PATH or postgresql://USER@HOST:PORT/DB."),
        QStringLiteral("url"));
    const QCommandLineOption listen(QStringLiteral("listen"),
        QStringLiteral("Address and port to serve on (default 127.0.0.1:8080)."),
        QStringLiteral("addr:port"), QStringLiteral("127.0.0.1:8080"));
    const QCommandLineOption holdSeconds(QStringLiteral("hold-seconds"),
        QStringLiteral("How long a hold lasts (default 900)."), QStringLiteral("n"),
        QStringLiteral("900"));
    const QCommandLineOption demo(
        QStringLiteral("demo"), QStringLiteral("Create the demo venue and events once."));
    const QCommandLineOption allowOrigin(QStringLiteral("allow-origin"),
        QStringLiteral("Another web origin that may open event channels."),
        QStringLiteral("origin"));
    const QCommandLineOption check(QStringLiteral("check"),
        QStringLiteral("Check the database's invariants, print a report and exit"
                       " (0 clean, 1 violations, 2 cannot check)."));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"),
        QStringLiteral("Serve HTTPS and WSS with this certificate (PEM, chain after it)."),
        QStringLiteral("path"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
        QStringLiteral("The certificate's private key (PEM, without passphrase)."),
        QStringLiteral("path"));
    const QCommandLineOption paymentSeconds(QStringLiteral("payment-seconds"),
        QStringLiteral("How long a buyer has to pay at the provider (default 600)."),
        QStringLiteral("n"), QStringLiteral("600"));
    const QCommandLineOption publicUrl(QStringLiteral("public-url"),
        QStringLiteral("Where buyers reach this server, for links in e-mails"
                       " (default: the --listen address)."),
        QStringLiteral("url"));
    parser.addOptions({db, listen, holdSeconds, paymentSeconds, publicUrl, demo, allowOrigin, check,
        tlsCert, tlsKey});
    parser.addOptions(mailOptions());
    parser.addOptions(accountOptions());
    parser.addOptions(limitOptions());
    parser.addOption(metricsAllowOption());
    // parse(), not process(): process() exits with 1 on a bad option, and 1
    // means "violations found" to a script running --check.
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    if (parser.isSet(help) || parser.isSet(QStringLiteral("help-all")))
        parser.showHelp(0);
    if (parser.isSet(version))
        parser.showVersion();

    ServerOptions options;
    const QString dbText = parser.isSet(db) ? parser.value(db)
                                            : QStringLiteral("sqlite:")
            + QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                  .filePath(QStringLiteral("marquee.db"));
    const auto config = DatabaseConfig::parse(dbText, error);
    if (!config)
        return std::nullopt;
    options.database = *config;

    const QString listenText = parser.value(listen);
    const qsizetype colon = listenText.lastIndexOf(u':');
    bool portOk = false;
    const uint port = listenText.mid(colon + 1).toUInt(&portOk);
    const QHostAddress address(listenText.left(colon));
    if (colon <= 0 || !portOk || port > 65535 || address.isNull()) {
        *error = QStringLiteral("--listen takes ADDRESS:PORT, e.g. 127.0.0.1:8080 or 0.0.0.0:8080");
        return std::nullopt;
    }
    options.address = address;
    options.port = quint16(port);

    bool secondsOk = false;
    options.holdSeconds = parser.value(holdSeconds).toLongLong(&secondsOk);
    if (!secondsOk || options.holdSeconds < 10 || options.holdSeconds > 24 * 3600) {
        *error = QStringLiteral("--hold-seconds takes a number from 10 to 86400");
        return std::nullopt;
    }
    options.paymentSeconds = parser.value(paymentSeconds).toLongLong(&secondsOk);
    if (!secondsOk || options.paymentSeconds < 10 || options.paymentSeconds > 3600) {
        *error = QStringLiteral("--payment-seconds takes a number from 10 to 3600");
        return std::nullopt;
    }
    options.publicUrl = parser.value(publicUrl);
    while (options.publicUrl.endsWith(u'/'))
        options.publicUrl.chop(1);
    if (!options.publicUrl.isEmpty() && !QUrl(options.publicUrl, QUrl::StrictMode).isValid()) {
        *error = QStringLiteral("--public-url takes a URL such as https://tickets.example.org");
        return std::nullopt;
    }
    if (!readMailOptions(parser, &options, error))
        return std::nullopt;
    options.demo = parser.isSet(demo);
    options.check = parser.isSet(check);
    options.allowedOrigins = parser.values(allowOrigin);
    options.tlsCert = parser.value(tlsCert);
    options.tlsKey = parser.value(tlsKey);
    if (options.tlsCert.isEmpty() != options.tlsKey.isEmpty()) {
        *error = QStringLiteral("--tls-cert and --tls-key go together");
        return std::nullopt;
    }
    if (!readAccountOptions(parser, &options, error) || !readLimitOptions(parser, &options, error)
        || !readMetricsAllow(parser, &options, error))
        return std::nullopt;
    return options;
}

} // namespace Marquee
