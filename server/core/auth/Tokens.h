#pragma once

#include <QByteArray>
#include <QString>

namespace Marquee::Tokens {

/// A bearer secret: 256 random bits from the system's CSPRNG, base64url.
QString newSecret();

/// A public identifier such as "c_3J8fQ…": 128 random bits, prefixed by kind.
QString newId(QStringView prefix);

/// How secrets are stored. They carry 256 bits of entropy, so a plain
/// SHA-256 is enough (a slow password hash is for passwords only).
QString hash(const QString &secret);

/// The token from an "Authorization: Bearer …" header value, or empty.
QString bearer(const QByteArray &authorizationHeader);

} // namespace Marquee::Tokens
