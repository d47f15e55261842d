#include "SessionGuard.h"

#include "SignInDialog.h"
#include "net/ApiClient.h"

#include <QMainWindow>
#include <QTimer>

namespace Marquee {

SessionGuard::SessionGuard(ApiClient *api, ServerSettings *settings, QMainWindow *window)
    : QObject(window)
    , m_api(api)
    , m_settings(settings)
    , m_window(window)
{
    connect(m_api, &ApiClient::sessionEnded, this, &SessionGuard::onSessionEnded);
}

bool SessionGuard::signIn(const QString &notice)
{
    SignInDialog dialog(
        m_api, m_settings, SignInDialog::Mode::SignIn, m_window->isVisible() ? m_window : nullptr);
    dialog.setObjectName(QStringLiteral("signIn"));
    dialog.setNotice(notice);
    m_asking = true;
    const bool accepted = dialog.exec() == QDialog::Accepted;
    m_asking = false;
    if (accepted)
        emit signedIn();
    return accepted;
}

void SessionGuard::lock()
{
    if (m_asking || !m_api->hasStaffToken())
        return;
    hideContents();
    SignInDialog dialog(m_api, m_settings, SignInDialog::Mode::Unlock, m_window);
    dialog.setObjectName(QStringLiteral("unlock"));
    bool signOutInstead = false;
    connect(&dialog, &SignInDialog::signOutRequested, &dialog, [&] {
        signOutInstead = true;
        dialog.done(QDialog::Rejected);
    });
    m_asking = true;
    dialog.exec();
    m_asking = false;
    showContents();
    if (signOutInstead)
        signOut();
}

void SessionGuard::signOut()
{
    m_api->signOut();
    hideContents();
    if (signIn())
        showContents();
    else
        m_window->close();
}

void SessionGuard::hideContents()
{
    emit hiding();
    // Hidden widgets lose the focus; the clerk gets it back where it was.
    m_focus = m_window->focusWidget();
    m_window->centralWidget()->setVisible(false);
}

void SessionGuard::showContents()
{
    m_window->centralWidget()->setVisible(true);
    m_window->activateWindow();
    if (m_focus)
        m_focus->setFocus(Qt::OtherFocusReason);
}

void SessionGuard::onSessionEnded()
{
    if (m_asking)
        return;
    // Out of the network reply's signal first: the dialog runs its own loop.
    QTimer::singleShot(0, this, [this] {
        if (m_asking)
            return;
        hideContents();
        const bool again = signIn(tr("Your session has ended (it timed out, or it was ended"
                                     " on the server). Sign in again; the sale is kept."));
        showContents();
        if (!again)
            m_window->close();
    });
}

} // namespace Marquee
