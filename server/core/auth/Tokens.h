#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace Marquee::Tokens {

/// A bearer secret: 256 random bits from the system's CSPRNG, base64url.
QString newSecret();

/// A ticket's code, which its QR carries and the door checks: 192 random
/// bits, base64url (32 characters, a small QR code).
QString newCode();

/// A public identifier such as "c_3J8fQ…": 128 random bits, prefixed by kind.
QString newId(QStringView prefix);

/// A public identifier that sorts by \a created: "h_" + the time in
/// milliseconds (12 hex digits) + 128 random bits. Rows written one after
/// another then sit side by side in the index on their id instead of each
/// on a page of its own: a group commit of holds writes a few index pages
/// to the WAL instead of one per hold (RESULTS.md). The time is no secret.
QString newTimeOrderedId(QStringView prefix, const QDateTime &created);

/// How secrets are stored. They carry 256 bits of entropy, so a plain
/// SHA-256 is enough (a slow password hash is for passwords only).
QString hash(const QString &secret);

/// The token from an "Authorization: Bearer …" header value, or empty.
QString bearer(const QByteArray &authorizationHeader);

} // namespace Marquee::Tokens
