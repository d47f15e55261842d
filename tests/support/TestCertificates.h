#pragma once

#include <QSslCertificate>
#include <QString>
#include <QTemporaryDir>

namespace Marquee::Test {

/// Certificates made for one test by Debian's openssl command, in a
/// temporary folder that goes with this object: a venue's self-signed one,
/// and one signed by a test authority, both for 127.0.0.1 and localhost.
class TestCertificates
{
public:
    struct Files
    {
        QString cert; ///< PEM path
        QString key; ///< PEM path, mode 600
        QSslCertificate certificate;
    };

    TestCertificates();

    /// Empty when openssl failed; error() says why.
    QString error() const { return m_error; }

    /// A self-signed certificate named \a name (files name.pem, name.key).
    Files selfSigned(const QString &name);
    /// A certificate signed by authority() (created on first use).
    Files signedByAuthority(const QString &name);
    /// The test authority's certificate, for a trust store.
    QSslCertificate authority();

private:
    bool openssl(const QStringList &arguments);
    Files filesOf(const QString &name);

    QTemporaryDir m_dir;
    QString m_error;
    bool m_haveAuthority = false;
};

} // namespace Marquee::Test
