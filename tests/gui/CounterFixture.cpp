#include "CounterFixture.h"

#include "widgets/CounterWindow.h"
#include "widgets/EventList.h"
#include "widgets/SessionGuard.h"
#include "widgets/SignInDialog.h"

#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>
#include <QTimer>

namespace Marquee::Test::CounterFixture {

void signIn(CounterWindow &window, const QUrl &server, const QString &user, const QString &password)
{
    bool answered = false;
    // The dialog runs its own event loop: answer it once it shows.
    QTimer::singleShot(0, &window, [&] {
        auto *dialog = qobject_cast<SignInDialog *>(QApplication::activeModalWidget());
        if (!dialog) {
            closeModal();
            QFAIL("The sign-in dialog did not open.");
        }
        dialog->serverField()->setText(server.toString());
        dialog->userField()->setText(user);
        dialog->passwordField()->setText(password);
        answered = true;
        dialog->signInButton()->click();
    });
    QVERIFY(window.sessionGuard()->signIn());
    QVERIFY(answered);
}

void openEvent(CounterWindow &window, const QString &name)
{
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *events = window.findChild<EventList *>();
    QVERIFY(events);
    window.reloadEvents();
    QTRY_VERIFY_WITH_TIMEOUT(events->count() >= 2, 10000);
    for (int row = 0; row < events->count(); ++row) {
        if (events->item(row)->text().contains(name))
            events->setCurrentRow(row);
    }
    QVERIFY(events->currentItem() && events->currentItem()->text().contains(name));
}

void closeModal()
{
    if (auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget()))
        dialog->reject();
}

void saveScreenshot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("MARQUEE_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(widget.grab().save(QDir(dir).filePath(name)));
}

} // namespace Marquee::Test::CounterFixture
