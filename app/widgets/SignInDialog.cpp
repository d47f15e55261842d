#include "SignInDialog.h"

#include "CertificateDialog.h"
#include "model/ServerSettings.h"
#include "net/ApiClient.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Marquee {

SignInDialog::SignInDialog(ApiClient *api, ServerSettings *settings, Mode mode, QWidget *parent)
    : QDialog(parent)
    , m_api(api)
    , m_settings(settings)
    , m_mode(mode)
    , m_notice(new QLabel(this))
    , m_server(new QLineEdit(settings->server().toString(), this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_signIn(new QPushButton(mode == Mode::Unlock ? tr("&Unlock") : tr("&Sign in"), this))
{
    setWindowTitle(mode == Mode::Unlock ? tr("Terminal locked") : tr("Sign in to Marquee"));
    setModal(true);
    m_notice->setWordWrap(true);
    m_notice->setVisible(false);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b91c1c;"));
    m_problem->setVisible(false);
    m_password->setEchoMode(QLineEdit::Password);
    m_user->setText(mode == Mode::Unlock ? api->session().user : settings->lastUser());

    auto *form = new QFormLayout;
    if (mode == Mode::SignIn)
        form->addRow(tr("Se&rver:"), m_server);
    else
        m_server->setVisible(false);
    form->addRow(tr("&User name:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    m_user->setReadOnly(mode == Mode::Unlock);

    auto *buttons = new QDialogButtonBox(this);
    m_signIn->setDefault(true);
    buttons->addButton(m_signIn, QDialogButtonBox::AcceptRole);
    if (mode == Mode::Unlock) {
        m_notice->setText(tr("The sale is kept. Enter your password to unlock the terminal."));
        m_notice->setVisible(true);
        QPushButton *signOut = buttons->addButton(tr("Sign &out"), QDialogButtonBox::ResetRole);
        connect(signOut, &QPushButton::clicked, this, &SignInDialog::signOutRequested);
    } else {
        buttons->addButton(tr("&Quit"), QDialogButtonBox::RejectRole);
    }
    connect(buttons, &QDialogButtonBox::accepted, this, &SignInDialog::trySignIn);
    connect(buttons, &QDialogButtonBox::rejected, this, &SignInDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_notice);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    (m_user->text().isEmpty() ? m_user : m_password)->setFocus();
    setMinimumWidth(420);
}

void SignInDialog::setNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

void SignInDialog::reject()
{
    // A locked terminal stays locked: Escape does not open it.
    if (m_mode == Mode::SignIn)
        QDialog::reject();
}

void SignInDialog::trySignIn()
{
    const QUrl server = ServerSettings::normalizedServer(m_server->text());
    if (server.isEmpty()) {
        m_problem->setText(tr("Not a server address: %1").arg(m_server->text()));
        m_problem->setVisible(true);
        return;
    }
    if (m_user->text().trimmed().isEmpty() || m_password->text().isEmpty()) {
        m_problem->setText(tr("Enter your user name and password."));
        m_problem->setVisible(true);
        return;
    }
    m_api->setServer(server);
    m_api->setPinnedCertificate(m_settings->pinnedCertificate(server));
    setBusy(true);
    m_api->signIn(m_user->text().trimmed(), m_password->text(), this,
        [this, server](const ApiResult<StaffSession> &result) {
            setBusy(false);
            if (result.error.isUntrustedCertificate()) {
                askToTrust(server, result.error.certificate);
                return;
            }
            m_password->clear();
            if (!result.ok()) {
                m_problem->setText(result.error.status == 401 ? tr("Wrong user name or password.")
                                                              : result.error.message);
                m_problem->setVisible(true);
                m_password->setFocus();
                return;
            }
            m_settings->setServer(server);
            m_settings->setLastUser(result.value->user);
            accept();
        });
}

void SignInDialog::askToTrust(const QUrl &server, const QSslCertificate &certificate)
{
    auto *ask
        = new CertificateDialog(server, certificate, m_settings->pinnedCertificate(server), this);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    connect(ask, &QDialog::accepted, this, [this, server, pin = ask->pin()] {
        m_settings->setPinnedCertificate(server, pin);
        trySignIn(); // the password is still in its field
    });
    connect(ask, &QDialog::rejected, this, [this] {
        m_password->clear();
        m_problem->setText(tr("Not signed in: the server's certificate is not trusted."));
        m_problem->setVisible(true);
        m_password->setFocus();
    });
    ask->open();
}

void SignInDialog::setBusy(bool busy)
{
    m_signIn->setEnabled(!busy);
    m_problem->setVisible(!busy && !m_problem->text().isEmpty());
    if (busy)
        m_problem->clear();
}

} // namespace Marquee
