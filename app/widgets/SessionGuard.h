#pragma once

#include <QObject>
#include <QPointer>

class QMainWindow;

namespace Marquee {

class ApiClient;
class ServerSettings;

/// Keeps a signed-in clerk at the counter: sign-in before anything else,
/// locking the terminal (the sale stays; the password opens it again),
/// signing out, and a new sign-in when the server ends the session.
class SessionGuard : public QObject
{
    Q_OBJECT

public:
    SessionGuard(ApiClient *api, ServerSettings *settings, QMainWindow *window);

    /// Asks until someone signs in (true) or the clerk quits (false).
    bool signIn(const QString &notice = {});
    /// Hides the window's contents until the clerk's password is given again.
    void lock();
    /// Ends the session and asks for a new sign-in; closes the window when
    /// nobody signs in.
    void signOut();

signals:
    void signedIn();
    /// The screen is about to be hidden (locked, signed out, session over):
    /// windows of their own, which the hidden contents do not cover, close.
    void hiding();

private:
    void onSessionEnded();
    void hideContents();
    void showContents();

    ApiClient *m_api;
    ServerSettings *m_settings;
    QMainWindow *m_window;
    bool m_asking = false; ///< a dialog is open already
    QPointer<QWidget> m_focus; ///< what had the focus before the contents were hidden
};

} // namespace Marquee
