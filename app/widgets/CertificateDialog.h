#pragma once

#include "net/CertificatePin.h"

#include <QDialog>
#include <QUrl>

class QPushButton;

namespace Marquee {

/// Asks the clerk whether to trust a server's certificate that no authority
/// vouches for — the self-signed certificate of a venue's own server, the
/// first time this counter meets it — by showing its fingerprint to compare
/// with the one marquee-server printed at start. If a different certificate
/// was trusted for the server before, it says so as a warning: that is how
/// a machine posing as the server would look. Cancel is the default.
class CertificateDialog : public QDialog
{
    Q_OBJECT

public:
    CertificateDialog(const QUrl &server, const QSslCertificate &certificate,
        const CertificatePin &previous, QWidget *parent = nullptr);

    QPushButton *trustButton() const { return m_trust; }
    QPushButton *cancelButton() const { return m_cancel; }
    /// What accepting pins.
    CertificatePin pin() const { return {CertificatePin::digestOf(m_certificate)}; }

private:
    QSslCertificate m_certificate;
    QPushButton *m_trust;
    QPushButton *m_cancel;
};

} // namespace Marquee
