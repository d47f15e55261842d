#include "UsersController.h"

#include "GuardedJob.h"
#include "PasswordWork.h"
#include "RequestBodies.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Marquee {

namespace {

const QString AdminsOnly = QStringLiteral("an admin's session");

QJsonObject userJson(const Users::User &user)
{
    return {{QStringLiteral("name"), user.name}, {QStringLiteral("role"), roleName(user.role)},
        {QStringLiteral("disabled"), user.disabled}};
}

} // namespace

UsersController::UsersController(Router &router, Storage &storage, PasswordWork &passwords)
    : m_storage(storage)
    , m_passwords(passwords)
{
    using Method = QHttpServerRequest::Method;
    router.add(Method::Get, QStringLiteral("/api/v1/users"),
        [this](const HttpRequest &request, HttpReply reply) { list(request, std::move(reply)); });
    router.add(Method::Post, QStringLiteral("/api/v1/users"),
        [this](const HttpRequest &request, HttpReply reply) { create(request, std::move(reply)); });
    router.add(Method::Patch, QStringLiteral("/api/v1/users/{}"),
        [this](const HttpRequest &request, HttpReply reply) { update(request, std::move(reply)); });
}

void UsersController::list(const HttpRequest &request, HttpReply reply)
{
    runGuarded<QList<Users::User>>(
        m_storage, Caller::of(request), std::move(reply), Permission::ManageUsers, AdminsOnly,
        [](StorageSession &s, const AuditActor &) { return Users(s.db, s.clock).list(); },
        [](HttpReply &out, const QList<Users::User> &users) {
            QJsonArray all;
            for (const Users::User &user : users)
                all.append(userJson(user));
            out.json(200, QJsonObject{{QStringLiteral("users"), all}});
        });
}

void UsersController::create(const HttpRequest &request, HttpReply reply)
{
    QString problem;
    const auto user = RequestBodies::newUser(request.raw.body(), &problem);
    if (!user)
        return reply.error(400, QStringLiteral("bad_request"), problem);
    asAdminWithHash(
        Caller::of(request), std::move(reply), user->password,
        [name = user->name, role = user->role](StorageSession &s, const AuditActor &by,
            const QString &hash) { return Users(s.db, s.clock).create(name, hash, role, by); },
        [name = user->name](
            HttpReply &out, const Users::Change &change) { answer(out, change, name, 201); });
}

void UsersController::update(const HttpRequest &request, HttpReply reply)
{
    const QString name = request.args.at(0);
    QString problem;
    const auto body = RequestBodies::userChange(request.raw.body(), &problem);
    if (!body)
        return reply.error(400, QStringLiteral("bad_request"), problem);
    asAdminWithHash(
        Caller::of(request), std::move(reply), body->password,
        [name, fields = Users::Update{body->role, body->disabled, {}}](
            StorageSession &s, const AuditActor &by, const QString &hash) {
            Users::Update update = fields;
            update.passwordHash = hash;
            return Users(s.db, s.clock).update(name, update, by);
        },
        [name](HttpReply &out, const Users::Change &change) { answer(out, change, name, 200); });
}

void UsersController::asAdminWithHash(
    const Caller &caller, HttpReply reply, const QString &password, Write write, Respond respond)
{
    // Who asks is checked first (cheap), the password hashed after (slow):
    // nobody but an admin makes the server spend 64 MiB and a core on it.
    runGuarded<bool>(
        m_storage, caller, std::move(reply), Permission::ManageUsers, AdminsOnly,
        [](StorageSession &, const AuditActor &) { return true; },
        [this, caller, password, write, respond](HttpReply &allowed, const bool &) {
            withHash(password, allowed,
                [this, caller, write, respond](HttpReply hashed, const QString &hash) {
                    runGuarded<Users::Change>(
                        m_storage, caller, std::move(hashed), Permission::ManageUsers, AdminsOnly,
                        [write, hash](
                            StorageSession &s, const AuditActor &by) { return write(s, by, hash); },
                        respond);
                });
        });
}

void UsersController::withHash(const QString &password, HttpReply reply,
    std::function<void(HttpReply, const QString &hash)> write)
{
    if (password.isEmpty())
        return write(std::move(reply), {});
    m_passwords.hash(password, [reply, write](const QString &hash) mutable {
        if (hash.isEmpty())
            return reply.error(503, QStringLiteral("unavailable"),
                QStringLiteral("The password could not be hashed; try again."));
        write(std::move(reply), hash);
    });
}

void UsersController::answer(
    HttpReply &reply, Users::Change change, const QString &name, int doneStatus)
{
    switch (change) {
    case Users::Change::Done:
        return reply.json(doneStatus, QJsonObject{{QStringLiteral("name"), name}});
    case Users::Change::UnknownUser:
        return reply.error(404, QStringLiteral("not_found"), QStringLiteral("No such user."));
    case Users::Change::Exists:
        return reply.error(409, QStringLiteral("conflict"),
            QStringLiteral("A user named %1 exists already.").arg(name));
    case Users::Change::LastAdmin:
        break;
    }
    reply.error(409, QStringLiteral("last_admin"),
        QStringLiteral("This would leave no enabled admin to manage users."));
}

} // namespace Marquee
