#pragma once

#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace Marquee {

class Clock;

/// Bearer tokens for counter staff, until staff accounts with passwords
/// exist. Only hashes are stored, so a token can be shown once only.
class StaffTokens
{
public:
    /// What a token may do; each role may do everything of the ones before.
    enum class Role
    {
        Clerk,
        Manager,
        Admin
    };
    static QString roleName(Role role);
    static std::optional<Role> roleFromName(const QString &name);

    StaffTokens(QSqlDatabase db, const Clock &clock);

    /// Creates a token and returns it in clear, the only time it exists so.
    QString issue(Role role = Role::Clerk) const;
    /// Issues the first token, a manager's, when there is none yet.
    std::optional<QString> issueFirst() const;
    /// Any staff token.
    bool verify(const QString &token) const { return roleOf(token).has_value(); }
    /// A token of \a minimum or a higher role.
    bool allows(const QString &token, Role minimum) const;
    std::optional<Role> roleOf(const QString &token) const;

private:
    QSqlDatabase m_db;
    const Clock &m_clock;
};

} // namespace Marquee
