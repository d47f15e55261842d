#include "StaffTokens.h"

#include "Clock.h"
#include "Sql.h"
#include "Tokens.h"

namespace Marquee {

StaffTokens::StaffTokens(QSqlDatabase db, const Clock &clock)
    : m_db(std::move(db))
    , m_clock(clock)
{
}

QString StaffTokens::issue(const QString &role) const
{
    const QString token = Tokens::newSecret();
    Sql::exec(m_db,
        QStringLiteral("INSERT INTO staff_tokens (token_hash, role, created_at) VALUES (?, ?, ?)"),
        {Tokens::hash(token), role, isoUtc(m_clock.now())});
    return token;
}

std::optional<QString> StaffTokens::issueFirst() const
{
    Transaction transaction(m_db);
    if (Sql::scalar(m_db, QStringLiteral("SELECT COUNT(*) FROM staff_tokens")).toInt() > 0)
        return std::nullopt;
    QString token = issue();
    transaction.commit();
    return token;
}

bool StaffTokens::verify(const QString &token) const
{
    if (token.isEmpty())
        return false;
    return !Sql::scalar(m_db, QStringLiteral("SELECT role FROM staff_tokens WHERE token_hash = ?"),
        {Tokens::hash(token)})
                .isNull();
}

} // namespace Marquee
