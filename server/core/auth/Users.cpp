#include "Users.h"

#include "Clock.h"
#include "Sql.h"

#include <QRegularExpression>

namespace Marquee {

Users::Users(QSqlDatabase db, const Clock &clock)
    : m_db(std::move(db))
    , m_clock(clock)
{
}

QString Users::nameProblem(const QString &name)
{
    static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    if (!allowed.match(name).hasMatch())
        return QStringLiteral("a user name has 1 to 64 letters, digits, '.', '_' or '-'");
    return {};
}

bool Users::save(const QString &name, const QString &passwordHash, Role role) const
{
    Transaction transaction(m_db);
    const QString roleText = roleName(role);
    QSqlQuery update = Sql::exec(m_db,
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
    transaction.commit();
    return created;
}

std::optional<Users::User> Users::find(const QString &name) const
{
    QSqlQuery query = Sql::exec(m_db,
        QStringLiteral("SELECT id, name, role, password_hash, disabled FROM users WHERE name = ?"),
        {name});
    if (!query.next())
        return std::nullopt;
    return User{query.value(0).toLongLong(), query.value(1).toString(),
        roleFromName(query.value(2).toString()).value_or(Role::Clerk), query.value(3).toString(),
        query.value(4).toInt() == 1};
}

int Users::count() const
{
    return Sql::scalar(m_db, QStringLiteral("SELECT COUNT(*) FROM users")).toInt();
}

} // namespace Marquee
