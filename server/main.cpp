// marquee-server: parses the command line and runs MarqueeServer.
#include "AddUserCommand.h"
#include "CheckCommand.h"
#include "Clock.h"
#include "CredentialCommand.h"
#include "LogFormat.h"
#include "MarqueeServer.h"
#include "Role.h"
#include "TicketPdf.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <cstdio>

using namespace Marquee;

int main(int argc, char *argv[])
{
    // The UNIX event dispatcher fans out to many sockets much faster than
    // glib's (TOOLCHAIN.md: p50 38 ms vs 117 ms for 5,000 subscribers).
    // Debian's Qt 6.4 picks glib otherwise, for every QThread as well (the
    // channel's sender threads): each reads this variable when it starts.
    qputenv("QT_NO_GLIB", "1");
    // Tickets are painted into PDFs, which needs a QGuiApplication but no
    // display: a server has none, and must not reach for one that is there.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    // One line per event with its level; journald's priorities under systemd.
    LogFormat::install();
    QGuiApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Marquee"));
    QCoreApplication::setApplicationName(QStringLiteral("marquee-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MARQUEE_VERSION));

    QString error;
    const auto options = ServerOptions::parse(app.arguments(), &error);
    if (!options) {
        std::fprintf(stderr, "marquee-server: %s\n", qPrintable(error));
        return 2;
    }
    SystemClock clock;
    if (options->check)
        return CheckCommand::run(options->database, clock);
    if (options->database.backend == DatabaseConfig::Backend::Sqlite)
        QDir().mkpath(QFileInfo(options->database.path).absolutePath());
    if (!options->addUser.isEmpty()) {
        return AddUserCommand::run(
            options->database, clock, options->addUser, *roleFromName(options->staffRole));
    }

    if (!options->issueCredential.isEmpty()) {
        return CredentialCommand::run(options->database, clock, options->issueCredential,
            *Credentials::purposeFromName(options->credentialPurpose), options->credentialDays);
    }

    MarqueeServer server(*options, clock);
    server.setTicketRenderer(&TicketPdf::render);
    if (!server.start(&error)) {
        std::fprintf(stderr, "marquee-server: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("Marquee server on %s\n", qPrintable(options->database.describe()));
    std::printf("Web page: %s://%s:%u/\n", options->tlsCert.isEmpty() ? "http" : "https",
        qPrintable(options->address.toString()), server.port());
    if (!server.tlsFingerprint().isEmpty())
        std::printf(
            "TLS certificate SHA-256 fingerprint: %s\n", qPrintable(server.tlsFingerprint()));
    for (const DemoUsers::Account &account : server.demoAccounts())
        std::printf("Demo sign-in (shown once): user %s, password %s\n", qPrintable(account.name),
            qPrintable(account.password));
    std::fflush(stdout);
    return app.exec();
}
