// The counter app's executable: command line, settings, translator, window.
// Everything else lives in marquee_app_core so tests can reach it.

#include "model/ServerSettings.h"
#include "net/ApiClient.h"
#include "widgets/CounterWindow.h"
#include "widgets/SessionGuard.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QScreen>
#include <QSettings>
#include <QTranslator>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Marquee"));
    QApplication::setApplicationName(QStringLiteral("marquee"));
    QApplication::setApplicationDisplayName(QStringLiteral("Marquee"));
    QApplication::setApplicationVersion(QStringLiteral(MARQUEE_VERSION));

    // Qt's own strings (dialog buttons) first, then ours from the embedded .qm.
    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(
            QLocale(), QStringLiteral("marquee"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Marquee box-office counter"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption serverOption(QStringLiteral("server"),
        QCoreApplication::translate("main", "Server address, remembered for next time."),
        QStringLiteral("URL"));
    parser.addOption(serverOption);
    parser.process(app);

    QSettings store;
    Marquee::ServerSettings settings(&store);
    if (parser.isSet(serverOption)) {
        const QUrl server = Marquee::ServerSettings::normalizedServer(parser.value(serverOption));
        if (server.isEmpty()) {
            std::fprintf(stderr, "%s\n",
                qPrintable(QCoreApplication::translate("main", "Not a server address: %1")
                               .arg(parser.value(serverOption))));
            return 2;
        }
        settings.setServer(server);
    }

    Marquee::ApiClient api;
    api.setServer(settings.server());

    // Who sells comes first: a wrong password shows before a seat is held.
    Marquee::CounterWindow window(&api, &settings);
    if (!window.sessionGuard()->signIn())
        return 0;
    if (settings.windowGeometry().isEmpty()) {
        // First start: use the screen, counters run the app full-time.
        if (const QScreen *screen = QGuiApplication::primaryScreen())
            window.setGeometry(screen->availableGeometry());
        window.showMaximized();
    } else {
        window.show();
    }
    window.reloadEvents();
    return QApplication::exec();
}
