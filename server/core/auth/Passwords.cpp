#include "Passwords.h"

#include <sodium.h>

namespace Marquee::Passwords {

namespace {

bool ready()
{
    // Idempotent and thread-safe: 0 the first time, 1 after, -1 on failure.
    return sodium_init() >= 0;
}

} // namespace

QString hash(const QString &password)
{
    if (!ready())
        return {};
    const QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, utf8.constData(), quint64(utf8.size()),
            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
            crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        return {};
    return QString::fromLatin1(out);
}

bool verify(const QString &hash, const QString &password)
{
    if (!ready() || hash.isEmpty())
        return false;
    const QByteArray stored = hash.toLatin1();
    const QByteArray utf8 = password.toUtf8();
    return crypto_pwhash_str_verify(stored.constData(), utf8.constData(), quint64(utf8.size()))
        == 0;
}

} // namespace Marquee::Passwords
