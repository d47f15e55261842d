#pragma once

#include <QObject>
#include <QThreadPool>
#include <functional>
#include <mutex>

namespace Marquee {

/// Runs the argon2id work (slow and memory-hungry on purpose) on a small
/// pool of its own, so that neither the sockets nor the storage thread wait
/// for it, and hands each result back on the thread that created this.
class PasswordWork
{
public:
    PasswordWork();
    ~PasswordWork();

    /// \a done gets the hash, or an empty string when out of memory.
    void hash(const QString &password, std::function<void(const QString &)> done);
    /// \a done gets whether \a password matches \a hash. An empty \a hash
    /// (no such user) is checked against a dummy, so that an unknown name
    /// costs as long as a wrong password, and is always wrong.
    void verify(const QString &hash, const QString &password, std::function<void(bool)> done);

private:
    QString dummyHash();

    std::once_flag m_dummyOnce;
    QString m_dummyHash;
    QObject m_receiver; ///< lives on the creating thread; results are queued to it
    QThreadPool m_pool;
};

} // namespace Marquee
