#include "StaffTokens.h"

#include "Clock.h"
#include "Sessions.h"
#include "Sql.h"
#include "Tokens.h"

namespace Marquee {

StaffTokens::StaffTokens(QSqlDatabase db, const Clock &clock)
    : m_db(std::move(db))
    , m_clock(clock)
{
}

QString StaffTokens::roleName(Role role)
{
    switch (role) {
    case Role::Clerk:
        return QStringLiteral("clerk");
    case Role::Manager:
        return QStringLiteral("manager");
    case Role::Admin:
        return QStringLiteral("admin");
    }
    Q_UNREACHABLE();
}

std::optional<StaffTokens::Role> StaffTokens::roleFromName(const QString &name)
{
    for (Role role : {Role::Clerk, Role::Manager, Role::Admin}) {
        if (name == roleName(role))
            return role;
    }
    return std::nullopt;
}

QString StaffTokens::issue(Role role) const
{
    const QString token = Tokens::newSecret();
    Sql::exec(m_db,
        QStringLiteral("INSERT INTO staff_tokens (token_hash, role, created_at) VALUES (?, ?, ?)"),
        {Tokens::hash(token), roleName(role), isoUtc(m_clock.now())});
    return token;
}

std::optional<QString> StaffTokens::issueFirst() const
{
    Transaction transaction(m_db);
    if (Sql::scalar(m_db, QStringLiteral("SELECT COUNT(*) FROM staff_tokens")).toInt() > 0)
        return std::nullopt;
    QString token = issue(Role::Manager);
    transaction.commit();
    return token;
}

std::optional<StaffTokens::Role> StaffTokens::roleOf(const QString &token) const
{
    if (token.isEmpty())
        return std::nullopt;
    const QVariant role
        = Sql::scalar(m_db, QStringLiteral("SELECT role FROM staff_tokens WHERE token_hash = ?"),
            {Tokens::hash(token)});
    if (!role.isNull())
        return roleFromName(role.toString());
    // A signed-in user's session token works wherever a staff token does.
    return Sessions(m_db, m_clock).roleOf(token);
}

bool StaffTokens::allows(const QString &token, Role minimum) const
{
    const auto role = roleOf(token);
    return role && int(*role) >= int(minimum);
}

} // namespace Marquee
