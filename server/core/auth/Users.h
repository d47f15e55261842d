#pragma once

#include "Role.h"

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

    Users(QSqlDatabase db, const Clock &clock);

    /// Creates the user, or gives an existing one this password hash and
    /// role (and enables it, and ends its sessions). Returns true when the
    /// user was new.
    bool save(const QString &name, const QString &passwordHash, Role role) const;
    std::optional<User> find(const QString &name) const;
    int count() const;

    /// 1 to 64 letters, digits, '.', '_' or '-'. Returns why not, or empty.
    static QString nameProblem(const QString &name);

private:
    QSqlDatabase m_db;
    const Clock &m_clock;
};

} // namespace Marquee
