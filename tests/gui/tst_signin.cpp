// The counter's sign-in against a real in-process server, with real widgets
// offscreen: a wrong password is refused in the dialog (before any seat is
// held), the terminal locks and opens only with the password again, and a
// session the server ended asks for a new sign-in. Also the signed-in
// counter's general-admission sale, which starts at no tickets.

#include "CounterFixture.h"
#include "HttpClient.h"
#include "TestDatabases.h"
#include "TestServer.h"
#include "model/SaleSession.h"
#include "model/ServerSettings.h"
#include "net/ApiClient.h"
#include "widgets/CounterWindow.h"
#include "widgets/EventList.h"
#include "widgets/SalePanel.h"
#include "widgets/SeatMapView.h"
#include "widgets/SessionGuard.h"
#include "widgets/SignInDialog.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Marquee;
using namespace Marquee::Test;
using CounterFixture::openEvent;
using CounterFixture::saveScreenshot;

namespace {
const QString Password = QStringLiteral("fay's password");
}

class TestSignIn : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_server->addUser(QStringLiteral("fay"), Password, Role::Clerk);
    }

    void init()
    {
        m_store = std::make_unique<QSettings>(
            m_dir.filePath(QStringLiteral("counter.ini")), QSettings::IniFormat);
        m_store->clear();
        m_store->setValue(QStringLiteral("server/staffToken"), QStringLiteral("old secret"));
        m_settings = std::make_unique<ServerSettings>(m_store.get());
    }

    void wrongPasswordIsRefusedInTheDialog()
    {
        // An old version's token in clear is gone as soon as settings load.
        QVERIFY(!m_store->contains(QStringLiteral("server/staffToken")));
        ApiClient api;
        SignInDialog dialog(&api, m_settings.get(), SignInDialog::Mode::SignIn);
        dialog.show();
        dialog.serverField()->setText(m_server->httpUrl().toString());
        dialog.userField()->setText(QStringLiteral("fay"));
        dialog.passwordField()->setText(QStringLiteral("not it"));
        dialog.signInButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(
            dialog.problemLabel()->text(), QStringLiteral("Wrong user name or password."), 10000);
        QVERIFY(dialog.isVisible());
        QVERIFY(!api.hasStaffToken());
        saveScreenshot(dialog, QStringLiteral("signin.png"));

        dialog.passwordField()->setText(Password);
        dialog.signInButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 10000);
        QCOMPARE(api.session().user, QStringLiteral("fay"));
        QCOMPARE(api.session().role, QStringLiteral("clerk"));
        QCOMPARE(m_settings->lastUser(), QStringLiteral("fay"));
        QCOMPARE(m_settings->server(), m_server->httpUrl().adjusted(QUrl::StripTrailingSlash));
        // Nothing secret was written down.
        for (const QString &key : m_store->allKeys())
            QVERIFY2(
                !m_store->value(key).toString().contains(api.session().token), qPrintable(key));
    }

    void lockedTerminalOpensWithThePasswordOnly()
    {
        ApiClient api;
        CounterWindow window(&api, m_settings.get());
        signIn(window);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString before = api.session().token;

        bool checked = false;
        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<SignInDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            QCOMPARE(dialog->objectName(), QStringLiteral("unlock"));
            QVERIFY(!window.centralWidget()->isVisible()); // nothing to read while locked
            QVERIFY(dialog->userField()->isReadOnly());
            QTest::keyClick(dialog, Qt::Key_Escape);
            QVERIFY(dialog->isVisible()); // Escape does not open it
            dialog->passwordField()->setText(QStringLiteral("guess"));
            dialog->signInButton()->click();
            QTRY_VERIFY_WITH_TIMEOUT(!dialog->problemLabel()->text().isEmpty(), 10000);
            QVERIFY(dialog->isVisible());
            saveScreenshot(*dialog, QStringLiteral("locked.png"));
            dialog->passwordField()->setText(Password);
            checked = true;
            dialog->signInButton()->click();
        });
        QTest::keyClick(&window, Qt::Key_F12);
        QVERIFY(checked);
        QVERIFY(window.centralWidget()->isVisible());
        QVERIFY(api.hasStaffToken());
        QVERIFY(api.session().token != before);
        // The session from before the lock is over on the server too.
        HttpClient http(m_server->httpUrl());
        QTRY_COMPARE_WITH_TIMEOUT(
            http.del(QStringLiteral("/api/v1/session"), before).status, 401, 5000);
    }

    // The sale a clerk had going when they locked the terminal is theirs
    // again after unlocking: its hold is listed, still on the server, and
    // sells with the new session.
    void aLockKeepsTheSale()
    {
        ApiClient api;
        CounterWindow window(&api, m_settings.get());
        signIn(window);
        openEvent(window, QStringLiteral("Breakfast"));
        if (QTest::currentTestFailed())
            return;
        auto *sale = window.findChild<SaleSession *>();
        QVERIFY(sale);
        QTRY_VERIFY_WITH_TIMEOUT(window.seatMap()->hasPlan(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(
            window.seatMap()->select({QStringLiteral("H9")}), QStringList(), 5000);
        QTest::keyClick(&window, Qt::Key_H, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(sale->holds().size(), 1, 10000);

        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<SignInDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->passwordField()->setText(Password);
            dialog->signInButton()->click();
        });
        QTest::keyClick(&window, Qt::Key_F12);
        QVERIFY(window.centralWidget()->isVisible());
        QCOMPARE(sale->holds().size(), 1);
        HttpClient http(m_server->httpUrl());
        const auto seats
            = [&] { return http.seatState(QStringLiteral("breakfast-ii"), QStringLiteral("H9")); };
        QCOMPARE(seats(), QStringLiteral("held"));

        // The keyboard goes on where it was: Ctrl+Return sells.
        QTRY_VERIFY(
            QApplication::focusWidget() && window.isAncestorOf(QApplication::focusWidget()));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(sale->holds().isEmpty() && !sale->isBusy(), 10000);
        QCOMPARE(seats(), QStringLiteral("sold"));
    }

    void aGeneralAdmissionSaleStartsAtNothing()
    {
        ApiClient api;
        CounterWindow window(&api, m_settings.get());
        signIn(window);
        openEvent(window, QStringLiteral("Open Air"));
        if (QTest::currentTestFailed())
            return;
        auto *sale = window.findChild<SaleSession *>();
        auto *panel = window.findChild<SalePanel *>();
        QVERIFY(sale && panel);
        QSpinBox *quantity = panel->quantity();
        // Places known, and none asked for yet.
        QTRY_VERIFY_WITH_TIMEOUT(quantity->isVisible() && quantity->maximum() > 0, 10000);
        QCOMPARE(quantity->value(), 0);
        HttpClient http(m_server->httpUrl());
        const auto available = [&] {
            return http.get(QStringLiteral("/api/v1/events/open-air/availability"))
                .json()
                .value(QLatin1String("available"))
                .toInt();
        };
        const int before = available();

        // A stray Ctrl+Return starts nothing; with a quantity it sells.
        quantity->setFocus();
        QTest::keyClick(quantity, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(!sale->isBusy());
        QVERIFY(sale->holds().isEmpty());
        QCOMPARE(available(), before);
        quantity->setValue(2);
        QTest::keyClick(quantity, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(available(), before - 2, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(sale->holds().isEmpty() && !sale->isBusy(), 10000);
        QCOMPARE(quantity->value(), 0);
    }

    void endedSessionAsksForANewSignIn()
    {
        ApiClient api;
        CounterWindow window(&api, m_settings.get());
        signIn(window);
        window.show();
        HttpClient http(m_server->httpUrl());
        QCOMPARE(http.del(QStringLiteral("/api/v1/session"), api.session().token).status, 204);

        // The guard opens its dialog (with its own event loop) once the
        // refused sale has come back; a watcher answers it when it shows.
        bool asked = false;
        QTimer watcher;
        connect(&watcher, &QTimer::timeout, this, [&] {
            auto *dialog = qobject_cast<SignInDialog *>(QApplication::activeModalWidget());
            if (!dialog || asked)
                return;
            QCOMPARE(dialog->objectName(), QStringLiteral("signIn"));
            asked = true;
            dialog->passwordField()->setText(Password);
            dialog->signInButton()->click();
        });
        watcher.start(20);
        const auto [cart, token] = http.newCart();
        const QString hold
            = http.holdSeats(cart, token, QStringLiteral("breakfast-ii"), {QStringLiteral("J2")})
                  .json()
                  .value(QLatin1String("hold"))
                  .toString();
        std::optional<ApiResult<SaleReceipt>> refused;
        api.sellCash(Cart{cart, token}, {hold}, this,
            [&refused](const ApiResult<SaleReceipt> &result) { refused = result; });
        QTRY_VERIFY_WITH_TIMEOUT(
            asked && api.hasStaffToken() && !QApplication::activeModalWidget(), 15000);
        QCOMPARE(refused->error.status, 401);
        QCOMPARE(api.session().user, QStringLiteral("fay"));
    }

private:
    void signIn(CounterWindow &window)
    {
        CounterFixture::signIn(window, m_server->httpUrl(), QStringLiteral("fay"), Password);
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_store;
    std::unique_ptr<ServerSettings> m_settings;
};

QTEST_MAIN(TestSignIn)
#include "tst_signin.moc"
