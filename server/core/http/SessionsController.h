#pragma once

#include "Sessions.h"

#include <QObject>
#include <QThreadPool>
#include <mutex>

namespace Marquee {

class HttpReply;
class Router;
class Storage;
struct HttpRequest;

/// Staff sign-in: POST /api/v1/session {"user","password"} and DELETE
/// /api/v1/session. The password check (argon2id, slow on purpose) runs on
/// a small thread pool of its own, so neither the sockets nor the storage
/// thread wait for it.
class SessionsController
{
public:
    SessionsController(Router &router, Storage &storage, SessionRules rules = {});

private:
    void signIn(const HttpRequest &request, HttpReply reply);
    void signOut(const HttpRequest &request, HttpReply reply);
    /// After the password check, on the server's thread.
    void finishSignIn(HttpReply reply, const QString &name, const QString &address,
        const std::optional<Users::User> &user);
    /// A hash to check against when there is no such user, so that an
    /// unknown name costs as long as a wrong password.
    QString dummyHash();

    Storage &m_storage;
    SessionRules m_rules;
    QObject m_receiver; ///< lives on the server's thread; the pool answers to it
    QThreadPool m_pool; ///< destroyed first: waits for running checks
    std::once_flag m_dummyOnce;
    QString m_dummyHash;
};

} // namespace Marquee
