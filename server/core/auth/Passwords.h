#pragma once

#include <QString>

namespace Marquee::Passwords {

/// An argon2id hash of \a password in libsodium's string form (algorithm,
/// limits and salt included), with libsodium's recommended limits for
/// interactive logins. Takes tens of milliseconds and 64 MiB by design:
/// never call it on the socket thread. Empty if the system is out of memory.
QString hash(const QString &password);

/// True when \a password matches \a hash (constant time in libsodium).
bool verify(const QString &hash, const QString &password);

/// What a password must be: 8 to 1,024 characters. Returns why not, or empty.
QString problem(const QString &password);

} // namespace Marquee::Passwords
