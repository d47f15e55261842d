#include "PasswordWork.h"

#include "Passwords.h"
#include "Tokens.h"

namespace Marquee {

PasswordWork::PasswordWork()
{
    // Each check takes 64 MiB: two at a time bound the memory a burst of
    // sign-ins can take.
    m_pool.setMaxThreadCount(2);
}

PasswordWork::~PasswordWork()
{
    // Running jobs finish before the receiver they answer to goes.
    m_pool.waitForDone();
}

void PasswordWork::hash(const QString &password, std::function<void(const QString &)> done)
{
    m_pool.start([this, password, done = std::move(done)] {
        QString hashed = Passwords::hash(password);
        QMetaObject::invokeMethod(
            &m_receiver, [done, hashed] { done(hashed); }, Qt::QueuedConnection);
    });
}

void PasswordWork::verify(
    const QString &hash, const QString &password, std::function<void(bool)> done)
{
    m_pool.start([this, hash, password, done = std::move(done)] {
        const bool right
            = Passwords::verify(hash.isEmpty() ? dummyHash() : hash, password) && !hash.isEmpty();
        QMetaObject::invokeMethod(
            &m_receiver, [done, right] { done(right); }, Qt::QueuedConnection);
    });
}

QString PasswordWork::dummyHash()
{
    std::call_once(m_dummyOnce, [this] { m_dummyHash = Passwords::hash(Tokens::newSecret()); });
    return m_dummyHash;
}

} // namespace Marquee
