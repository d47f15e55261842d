#include "Users.h"

#include "Clock.h"
#include "Sql.h"

namespace Marquee {

Users::Users(QSqlDatabase db, const Clock &clock)
    : m_db(std::move(db))
    , m_clock(clock)
{
}

bool Users::save(const QString &name, const QString &passwordHash, Role role) const
{
    Transaction transaction(m_db);
    const bool created = write(name, passwordHash, role);
    transaction.commit();
    return created;
}

bool Users::write(const QString &name, const QString &passwordHash, Role role) const
{
    const QString roleText = roleName(role);
    Sql::Rows update = Sql::exec(m_db,
        QStringLiteral("UPDATE users SET password_hash = ?, role = ?, disabled = 0,"
                       " password_changed_at = ? WHERE name = ?"),
        {passwordHash, roleText, isoUtc(m_clock.now()), name});
    const bool created = update.numRowsAffected() == 0;
    if (!created) {
        // A new password ends every session signed in with the old one.
        Sql::exec(m_db,
            QStringLiteral("UPDATE sessions SET ended_at = ? WHERE ended_at IS NULL AND user_id ="
                           " (SELECT id FROM users WHERE name = ?)"),
            {isoUtc(m_clock.now()), name});
    } else {
        Sql::exec(m_db,
            QStringLiteral("INSERT INTO users (name, password_hash, role, created_at,"
                           " password_changed_at) VALUES (?, ?, ?, ?, ?)"),
            {name, passwordHash, roleText, isoUtc(m_clock.now()), isoUtc(m_clock.now())});
    }
    return created;
}

std::optional<Users::User> Users::find(const QString &name) const
{
    Sql::Rows query = Sql::exec(m_db,
        QStringLiteral("SELECT id, name, role, password_hash, disabled FROM users WHERE name = ?"),
        {name});
    if (!query.next())
        return std::nullopt;
    return User{query.value(0).toLongLong(), query.value(1).toString(),
        roleFromName(query.value(2).toString()).value_or(Role::Clerk), query.value(3).toString(),
        query.value(4).toInt() == 1};
}

QList<Users::User> Users::list() const
{
    Sql::Rows query = Sql::exec(
        m_db, QStringLiteral("SELECT id, name, role, disabled FROM users ORDER BY name"));
    QList<User> users;
    while (query.next()) {
        users.append({query.value(0).toLongLong(), query.value(1).toString(),
            roleFromName(query.value(2).toString()).value_or(Role::Clerk), {},
            query.value(3).toInt() == 1});
    }
    return users;
}

Users::Change Users::create(
    const QString &name, const QString &passwordHash, Role role, const AuditActor &by) const
{
    Transaction transaction(m_db);
    if (find(name))
        return Change::Exists;
    write(name, passwordHash, role);
    AuditLog(m_db, m_clock)
        .record(by, QStringLiteral("user.create"), name, {},
            {{QStringLiteral("role"), roleName(role)}});
    transaction.commit();
    return Change::Done;
}

Users::Change Users::update(const QString &name, const Update &update, const AuditActor &by) const
{
    Transaction transaction(m_db);
    // The admins' rows first, in one order: two admins demoting each other
    // at once cannot both pass the last-admin check.
    Sql::exec(m_db,
        QStringLiteral("SELECT id FROM users WHERE role = 'admin' ORDER BY id")
            + Sql::lockClause(m_db));
    const std::optional<User> user = find(name);
    if (!user)
        return Change::UnknownUser;
    const Role role = update.role.value_or(user->role);
    const bool disabled = update.disabled.value_or(user->disabled);
    const bool losesAdmin
        = user->role == Role::Admin && !user->disabled && (role != Role::Admin || disabled);
    if (losesAdmin
        && Sql::scalar(m_db,
               QStringLiteral("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0"))
                .toInt()
            <= 1)
        return Change::LastAdmin;

    const QString now = isoUtc(m_clock.now());
    AuditLog audit(m_db, m_clock);
    if (role != user->role) {
        Sql::exec(m_db, QStringLiteral("UPDATE users SET role = ? WHERE id = ?"),
            {roleName(role), user->id});
        audit.record(by, QStringLiteral("user.role"), name, {},
            {{QStringLiteral("before"), roleName(user->role)},
                {QStringLiteral("after"), roleName(role)}});
    }
    if (disabled != user->disabled) {
        Sql::exec(m_db, QStringLiteral("UPDATE users SET disabled = ? WHERE id = ?"),
            {disabled ? 1 : 0, user->id});
        audit.record(
            by, disabled ? QStringLiteral("user.disable") : QStringLiteral("user.enable"), name);
    }
    if (!update.passwordHash.isEmpty()) {
        Sql::exec(m_db,
            QStringLiteral(
                "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?"),
            {update.passwordHash, now, user->id});
        audit.record(by, QStringLiteral("user.password"), name);
    }
    if (disabled || !update.passwordHash.isEmpty()) {
        Sql::exec(m_db,
            QStringLiteral(
                "UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL"),
            {now, user->id});
    }
    transaction.commit();
    return Change::Done;
}

int Users::count() const
{
    return Sql::scalar(m_db, QStringLiteral("SELECT COUNT(*) FROM users")).toInt();
}

} // namespace Marquee
