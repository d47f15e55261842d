#pragma once

#include <QString>
#include <QUrl>

class QWidget;

namespace Marquee {
class CounterWindow;
}

namespace Marquee::Test {

/// Steps the counter's GUI tests share, done as a clerk does them. They
/// report with QVERIFY, so a caller checks QTest::currentTestFailed().
namespace CounterFixture {

/// Signs in through the guard's real dialog as \a user at \a server.
void signIn(
    CounterWindow &window, const QUrl &server, const QString &user, const QString &password);
/// Shows the window, loads the events as main.cpp does after the sign-in
/// and selects the one whose name contains \a name.
void openEvent(CounterWindow &window, const QString &name);
/// Rejects whatever modal dialog is open, so a test that met the wrong one
/// fails instead of hanging in its event loop.
void closeModal();
/// With MARQUEE_SCREENSHOT_DIR set (resources/screenshots), keeps \a widget
/// as the user sees it under \a name; the README shows them.
void saveScreenshot(QWidget &widget, const QString &name);

} // namespace CounterFixture

} // namespace Marquee::Test
