#pragma once

#include "Sessions.h"

namespace Marquee {

class HttpReply;
class PasswordWork;
class Router;
class Storage;
struct HttpRequest;

/// Staff sign-in: POST /api/v1/session {"user","password"} and DELETE
/// /api/v1/session. The password check runs on PasswordWork's pool.
class SessionsController
{
public:
    SessionsController(
        Router &router, Storage &storage, PasswordWork &passwords, SessionRules rules = {});

private:
    void signIn(const HttpRequest &request, HttpReply reply);
    void signOut(const HttpRequest &request, HttpReply reply);
    /// After the password check, on the server's thread.
    void finishSignIn(HttpReply reply, const QString &name, const QString &address,
        const std::optional<Users::User> &user);

    Storage &m_storage;
    PasswordWork &m_passwords;
    SessionRules m_rules;
};

} // namespace Marquee
