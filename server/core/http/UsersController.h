#pragma once

#include "Users.h"

#include <functional>

namespace Marquee {

class HttpReply;
class PasswordWork;
class Router;
class Storage;
struct Caller;
struct HttpRequest;
struct StorageSession;
struct AuditActor;

/// Admins manage staff accounts: GET and POST /api/v1/users, PATCH
/// /api/v1/users/{name} (role, disabled, password). New passwords are hashed
/// on PasswordWork's pool, only after the caller was found to be an admin.
class UsersController
{
public:
    UsersController(Router &router, Storage &storage, PasswordWork &passwords);

private:
    void list(const HttpRequest &request, HttpReply reply);
    void create(const HttpRequest &request, HttpReply reply);
    void update(const HttpRequest &request, HttpReply reply);
    using Write = std::function<Users::Change(
        StorageSession &, const AuditActor &by, const QString &passwordHash)>;
    using Respond = std::function<void(HttpReply &, const Users::Change &)>;
    /// Checks for an admin, hashes \a password (when not empty), then
    /// runs \a write on the storage thread (checking again) and \a respond.
    void asAdminWithHash(const Caller &caller, HttpReply reply, const QString &password,
        Write write, Respond respond);
    /// Hashes \a password (when not empty) and then runs \a write.
    void withHash(const QString &password, HttpReply reply,
        std::function<void(HttpReply, const QString &hash)> write);
    static void answer(HttpReply &reply, Users::Change change, const QString &name, int doneStatus);

    Storage &m_storage;
    PasswordWork &m_passwords;
};

} // namespace Marquee
