#include "CertificateDialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace Marquee {

namespace {

QString firstOf(const QStringList &values)
{
    return values.isEmpty() ? QString() : values.first();
}

/// 32 byte pairs are too wide for one line; two lines of 16 compare easily.
QLabel *fingerprintLabel(const QByteArray &digest, QWidget *parent)
{
    const QString text = CertificatePin::fingerprint(digest);
    const qsizetype half = text.size() / 2 + 1; // after the 16th pair's colon
    auto *label = new QLabel(text.left(half) + u'\n' + text.mid(half), parent);
    label->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

} // namespace

CertificateDialog::CertificateDialog(const QUrl &server, const QSslCertificate &certificate,
    const CertificatePin &previous, QWidget *parent)
    : QDialog(parent)
    , m_certificate(certificate)
    , m_trust(new QPushButton(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
{
    const bool changed = !previous.sha256.isEmpty();
    setWindowTitle(changed ? tr("Server certificate changed") : tr("New server certificate"));
    setModal(true);

    auto *headline = new QLabel(this);
    headline->setWordWrap(true);
    headline->setTextFormat(Qt::PlainText);
    if (changed) {
        headline->setText(tr("The server at %1 shows a different certificate from the one "
                             "trusted here before. If the venue did not replace it, another "
                             "machine may be posing as the server: do not sign in, and tell "
                             "the venue manager.")
                              .arg(server.toDisplayString()));
        headline->setStyleSheet(QStringLiteral("color: #b91c1c; font-weight: bold;"));
    } else {
        headline->setText(tr("This counter has not met the server at %1 before, and no "
                             "authority vouches for its certificate. Trust it only if its "
                             "fingerprint matches the one marquee-server printed at start.")
                              .arg(server.toDisplayString()));
    }

    const QLocale locale;
    auto *form = new QFormLayout;
    form->addRow(tr("Issued to:"),
        new QLabel(firstOf(certificate.subjectInfo(QSslCertificate::CommonName)), this));
    form->addRow(tr("Issued by:"),
        new QLabel(firstOf(certificate.issuerInfo(QSslCertificate::CommonName)), this));
    form->addRow(tr("Valid:"),
        new QLabel(tr("%1 to %2")
                       .arg(locale.toString(certificate.effectiveDate().toLocalTime().date(),
                                QLocale::ShortFormat),
                           locale.toString(certificate.expiryDate().toLocalTime().date(),
                               QLocale::ShortFormat)),
            this));
    form->addRow(
        tr("SHA-256 fingerprint:"), fingerprintLabel(CertificatePin::digestOf(certificate), this));
    if (changed)
        form->addRow(tr("Trusted before:"), fingerprintLabel(previous.sha256, this));

    m_trust->setText(changed ? tr("&Trust the new certificate") : tr("&Trust this server"));
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_trust, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_cancel, QDialogButtonBox::RejectRole);
    m_cancel->setDefault(true);
    m_cancel->setFocus();
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(headline);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(480);
}

} // namespace Marquee
