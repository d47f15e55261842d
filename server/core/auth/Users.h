#pragma once

#include "AuditLog.h"
#include "Role.h"

#include <QList>

#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace Marquee {

class Clock;

/// Staff accounts: a unique name, an argon2id password hash and a role.
/// The hash is made by the caller (Passwords::hash), outside any
/// transaction, because it is slow on purpose.
class Users
{
public:
    struct User
    {
        qint64 id = 0;
        QString name;
        Role role = Role::Clerk;
        QString passwordHash;
        bool disabled = false;
    };

    /// What an admin changes; unset fields stay as they are.
    struct Update
    {
        std::optional<Role> role;
        std::optional<bool> disabled;
        QString passwordHash; ///< empty: unchanged
    };
    enum class Change
    {
        Done,
        UnknownUser,
        Exists, ///< create: the name is taken
        LastAdmin ///< would leave no enabled admin, so nobody could manage users
    };

    Users(QSqlDatabase db, const Clock &clock);

    /// Creates the user, or gives an existing one this password hash and
    /// role (and enables it, and ends its sessions). Returns true when the
    /// user was new.
    bool save(const QString &name, const QString &passwordHash, Role role) const;
    std::optional<User> find(const QString &name) const;
    QList<User> list() const;
    int count() const;

    /// An admin's changes, each with its audit entry (before and after for
    /// a role). Disabling a user or a new password ends their sessions; a
    /// new role applies to their live sessions at once.
    Change create(
        const QString &name, const QString &passwordHash, Role role, const AuditActor &by) const;
    Change update(const QString &name, const Update &update, const AuditActor &by) const;

    /// 1 to 64 letters, digits, '.', '_' or '-'. Returns why not, or empty.
    static QString nameProblem(const QString &name);

private:
    /// save() inside the caller's transaction.
    bool write(const QString &name, const QString &passwordHash, Role role) const;

    QSqlDatabase m_db;
    const Clock &m_clock;
};

} // namespace Marquee
