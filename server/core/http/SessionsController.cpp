#include "SessionsController.h"

#include "Clock.h"
#include "HttpReply.h"
#include "PasswordWork.h"
#include "RequestBodies.h"
#include "Router.h"
#include "Sql.h"
#include "Storage.h"

#include <QJsonObject>

namespace Marquee {

namespace {

void wrongCredentials(HttpReply &reply)
{
    // The same answer for an unknown name and a wrong password.
    reply.error(
        401, QStringLiteral("unauthorized"), QStringLiteral("Wrong user name or password."));
}

} // namespace

SessionsController::SessionsController(
    Router &router, Storage &storage, PasswordWork &passwords, SessionRules rules)
    : m_storage(storage)
    , m_passwords(passwords)
    , m_rules(rules)
{
    using Method = QHttpServerRequest::Method;
    router.add(Method::Post, QStringLiteral("/api/v1/session"),
        [this](const HttpRequest &request, HttpReply reply) { signIn(request, std::move(reply)); });
    router.add(Method::Delete, QStringLiteral("/api/v1/session"),
        [this](
            const HttpRequest &request, HttpReply reply) { signOut(request, std::move(reply)); });
}

void SessionsController::signIn(const HttpRequest &request, HttpReply reply)
{
    QString problem;
    const auto body = RequestBodies::signIn(request.raw.body(), &problem);
    if (!body)
        return reply.error(400, QStringLiteral("bad_request"), problem);
    const QString name = body->user;
    const QString address = request.client.toString();
    const SessionRules rules = m_rules;
    m_storage.run<Sessions::Attempt>(
        [name, address, rules](
            StorageSession &s) { return Sessions(s.db, s.clock, rules).begin(name, address); },
        [this, reply, name, address, secret = body->password](
            std::optional<Sessions::Attempt> attempt, const QString &error) mutable {
            if (!attempt)
                return reply.storageFailed(error);
            if (attempt->retryAfter > 0)
                return reply.error(429, QStringLiteral("rate_limited"),
                    QStringLiteral("Too many failed sign-ins; try again in %1 s.")
                        .arg(attempt->retryAfter),
                    {{QStringLiteral("retryAfter"), attempt->retryAfter}});
            const std::optional<Users::User> found = attempt->user;
            m_passwords.verify(found ? found->passwordHash : QString(), secret,
                [this, reply, name, address, found](bool right) mutable {
                    finishSignIn(reply, name, address, right ? found : std::nullopt);
                });
        });
}

void SessionsController::finishSignIn(HttpReply reply, const QString &name, const QString &address,
    const std::optional<Users::User> &user)
{
    const SessionRules rules = m_rules;
    m_storage.run<std::optional<Sessions::Opened>>(
        [name, address, user, rules](StorageSession &s) -> std::optional<Sessions::Opened> {
            // The session (or the failure) and its audit entry commit together.
            Transaction transaction(s.db);
            const Sessions sessions(s.db, s.clock, rules);
            std::optional<Sessions::Opened> opened;
            if (user)
                opened = sessions.open(*user, address);
            else
                sessions.recordFailure(name, address);
            transaction.commit();
            return opened;
        },
        [reply](
            std::optional<std::optional<Sessions::Opened>> opened, const QString &error) mutable {
            if (!opened)
                return reply.storageFailed(error);
            if (!*opened)
                return wrongCredentials(reply);
            const Sessions::Opened &session = **opened;
            reply.json(201,
                QJsonObject{{QStringLiteral("token"), session.token},
                    {QStringLiteral("user"), session.user},
                    {QStringLiteral("role"), roleName(session.role)},
                    {QStringLiteral("expiresAt"), isoUtc(session.expiresAt)}});
        });
}

void SessionsController::signOut(const HttpRequest &request, HttpReply reply)
{
    const QString token = request.bearer();
    const QString address = request.client.toString();
    const SessionRules rules = m_rules;
    m_storage.run<bool>(
        [token, address, rules](StorageSession &s) {
            Transaction transaction(s.db);
            const bool closed = Sessions(s.db, s.clock, rules).close(token, address);
            transaction.commit();
            return closed;
        },
        [reply](std::optional<bool> closed, const QString &error) mutable {
            if (!closed)
                return reply.storageFailed(error);
            if (!*closed)
                return reply.error(401, QStringLiteral("unauthorized"),
                    QStringLiteral("This call needs the session's token."));
            reply.noContent();
        });
}

} // namespace Marquee
