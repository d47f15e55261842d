#pragma once

#include <QSslConfiguration>
#include <QString>
#include <optional>

namespace Marquee {

/// The server's TLS settings, read from the PEM files an operator names with
/// --tls-cert and --tls-key: HTTPS and WSS on the one port. Read once at
/// start, so a missing or unreadable file stops the server with a clear
/// message instead of failing every handshake later.
namespace TlsSetup {

/// What loading found worth telling the operator without refusing to start.
struct Loaded
{
    QSslConfiguration configuration;
    QStringList warnings; ///< e.g. a key file others may read, an expired certificate
};

/// \a certPath holds the server's certificate, optionally followed by its
/// chain; \a keyPath an unencrypted RSA or EC private key (a passphrase would
/// have to be on a command line or in a file beside the key, which protects
/// nothing). nullopt with the reason in \a error.
std::optional<Loaded> load(const QString &certPath, const QString &keyPath, QString *error);

/// The certificate's SHA-256 fingerprint as "AB:CD:…", the form the counter
/// app shows a clerk to compare.
QString fingerprint(const QSslCertificate &certificate);

} // namespace TlsSetup

} // namespace Marquee
