#pragma once

#include <QDialog>
#include <QUrl>

class QLabel;
class QLineEdit;
class QPushButton;
class QSslCertificate;

namespace Marquee {

class ApiClient;
class ServerSettings;

/// Who is at the counter. SignIn asks for the server, a user name and a
/// password; Unlock (the terminal was locked) asks the signed-in clerk for
/// their password only and cannot be dismissed. Either way the dialog
/// closes only once the server has opened a session.
class SignInDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Mode
    {
        SignIn,
        Unlock
    };

    SignInDialog(ApiClient *api, ServerSettings *settings, Mode mode, QWidget *parent = nullptr);

    /// Shown above the fields, e.g. why a new sign-in is needed.
    void setNotice(const QString &text);

    QLineEdit *serverField() const { return m_server; }
    QLineEdit *userField() const { return m_user; }
    QLineEdit *passwordField() const { return m_password; }
    QPushButton *signInButton() const { return m_signIn; }
    QLabel *problemLabel() const { return m_problem; }

public slots:
    void reject() override;

signals:
    /// Unlock mode: the clerk chose to sign out instead.
    void signOutRequested();

private:
    void trySignIn();
    /// The server showed a certificate nobody vouches for: the clerk decides.
    void askToTrust(const QUrl &server, const QSslCertificate &certificate);
    void setBusy(bool busy);

    ApiClient *m_api;
    ServerSettings *m_settings;
    Mode m_mode;
    QLabel *m_notice;
    QLineEdit *m_server;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLabel *m_problem;
    QPushButton *m_signIn;
};

} // namespace Marquee
