#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <QSslCertificate>
#include <QString>

namespace Marquee {

/// The one certificate a counter trusts for a server beyond those its
/// system's authorities vouch for: a venue's self-signed certificate, kept
/// by its SHA-256 digest once a clerk compared its fingerprint with the one
/// the server printed (see CertificateDialog). A digest is no secret.
struct CertificatePin
{
    QByteArray sha256; ///< empty: nothing pinned

    bool matches(const QSslCertificate &peer) const
    {
        return !sha256.isEmpty() && !peer.isNull() && digestOf(peer) == sha256;
    }
    static QByteArray digestOf(const QSslCertificate &certificate)
    {
        return certificate.digest(QCryptographicHash::Sha256);
    }
    /// "AB:CD:…", as marquee-server prints it at start.
    static QString fingerprint(const QByteArray &digest)
    {
        return QString::fromLatin1(digest.toHex(':').toUpper());
    }
};

} // namespace Marquee
