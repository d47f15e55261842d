#include "UsersController.h"

#include "GuardedJob.h"
#include "PasswordWork.h"
#include "Passwords.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Marquee {

namespace {

const QString AdminsOnly = QStringLiteral("an admin's session");

QJsonObject userJson(const Users::User &user)
{
    return {{QStringLiteral("name"), user.name}, {QStringLiteral("role"), roleName(user.role)},
        {QStringLiteral("disabled"), user.disabled}};
}

/// The body's fields for a new user or a change; false after answering 400.
bool readUser(const HttpRequest &request, HttpReply &reply, bool creating, QString *password,
    Users::Update *update)
{
    const QJsonObject body = QJsonDocument::fromJson(request.raw.body()).object();
    const QJsonValue role = body.value(QLatin1String("role"));
    const QJsonValue disabled = body.value(QLatin1String("disabled"));
    const QJsonValue secret = body.value(QLatin1String("password"));
    QString problem;
    if (!role.isUndefined() && !roleFromName(role.toString()))
        problem = QStringLiteral("\"role\" is clerk, manager or admin.");
    else if (!disabled.isUndefined() && !disabled.isBool())
        problem = QStringLiteral("\"disabled\" is true or false.");
    else if (!secret.isUndefined() && !secret.isString())
        problem = QStringLiteral("\"password\" is a string.");
    else if (secret.isString())
        problem = Passwords::problem(secret.toString());
    else if (creating && (secret.isUndefined() || role.isUndefined()))
        problem = QStringLiteral("A new user needs \"name\", \"password\" and \"role\".");
    if (!problem.isEmpty()) {
        reply.error(400, QStringLiteral("bad_request"), problem);
        return false;
    }
    *password = secret.toString();
    if (!role.isUndefined())
        update->role = roleFromName(role.toString());
    if (disabled.isBool())
        update->disabled = disabled.toBool();
    return true;
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
    const QString name = QJsonDocument::fromJson(request.raw.body())
                             .object()
                             .value(QLatin1String("name"))
                             .toString();
    QString password;
    Users::Update fields;
    if (const QString problem = Users::nameProblem(name); !problem.isEmpty())
        return reply.error(400, QStringLiteral("bad_request"), problem);
    if (!readUser(request, reply, true, &password, &fields))
        return;
    const Role role = *fields.role;
    asAdminWithHash(
        Caller::of(request), std::move(reply), password,
        [name, role](StorageSession &s, const AuditActor &by, const QString &hash) {
            return Users(s.db, s.clock).create(name, hash, role, by);
        },
        [name](HttpReply &out, const Users::Change &change) { answer(out, change, name, 201); });
}

void UsersController::update(const HttpRequest &request, HttpReply reply)
{
    const QString name = request.args.at(0);
    QString password;
    Users::Update fields;
    if (!readUser(request, reply, false, &password, &fields))
        return;
    asAdminWithHash(
        Caller::of(request), std::move(reply), password,
        [name, fields](StorageSession &s, const AuditActor &by, const QString &hash) {
            Users::Update change = fields;
            change.passwordHash = hash;
            return Users(s.db, s.clock).update(name, change, by);
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
