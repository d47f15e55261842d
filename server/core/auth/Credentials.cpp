#include "Credentials.h"

#include "Clock.h"
#include "Sql.h"
#include "Tokens.h"

namespace Marquee {

Credentials::Credentials(QSqlDatabase db, const Clock &clock)
    : m_db(std::move(db))
    , m_clock(clock)
{
}

std::optional<Credentials::Issued> Credentials::issue(
    const QString &name, Purpose purpose, int days, const AuditActor &by) const
{
    const QDateTime now = m_clock.now();
    Transaction transaction(m_db);
    const bool taken
        = Sql::scalar(m_db,
              QStringLiteral(
                  "SELECT COUNT(*) FROM credentials WHERE name = ? AND revoked_at IS NULL"
                  " AND expires_at > ?"),
              {name, isoUtc(now)})
              .toInt()
        > 0;
    if (taken)
        return std::nullopt;
    Issued issued{{Tokens::newId(u"mc"), name, purpose, now, now.addDays(days), {}, by.name},
        Tokens::newSecret()};
    Sql::exec(m_db,
        QStringLiteral("INSERT INTO credentials (id, name, purpose, token_hash, created_at,"
                       " expires_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        {issued.credential.id, name, purposeName(purpose), Tokens::hash(issued.token), isoUtc(now),
            isoUtc(issued.credential.expiresAt), by.name});
    AuditLog(m_db, m_clock)
        .record(by, QStringLiteral("credential.issue"), issued.credential.id, {},
            {{QStringLiteral("name"), name}, {QStringLiteral("purpose"), purposeName(purpose)}});
    transaction.commit();
    return issued;
}

QList<Credentials::Credential> Credentials::list() const
{
    Sql::Rows query = Sql::exec(m_db,
        QStringLiteral("SELECT id, name, purpose, created_at, expires_at, revoked_at, created_by"
                       " FROM credentials ORDER BY created_at, id"));
    QList<Credential> all;
    while (query.next()) {
        all.append({query.value(0).toString(), query.value(1).toString(),
            purposeFromName(query.value(2).toString()).value_or(Purpose::Payments),
            Sql::time(query.value(3)), Sql::time(query.value(4)),
            query.value(5).isNull() ? QDateTime() : Sql::time(query.value(5)),
            query.value(6).toString()});
    }
    return all;
}

bool Credentials::revoke(const QString &id, const AuditActor &by) const
{
    Transaction transaction(m_db);
    const bool revoked
        = Sql::exec(m_db,
              QStringLiteral("UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at"
                             " IS NULL AND expires_at > ?"),
              {isoUtc(m_clock.now()), id, isoUtc(m_clock.now())})
              .numRowsAffected()
        == 1;
    if (revoked)
        AuditLog(m_db, m_clock).record(by, QStringLiteral("credential.revoke"), id);
    transaction.commit();
    return revoked;
}

std::optional<Principal> Credentials::principalOf(const QString &token) const
{
    Sql::Rows query = Sql::exec(m_db,
        QStringLiteral("SELECT name, purpose FROM credentials WHERE token_hash = ? AND"
                       " revoked_at IS NULL AND expires_at > ?"),
        {Tokens::hash(token), isoUtc(m_clock.now())});
    if (!query.next())
        return std::nullopt;
    const bool payments = query.value(1).toString() == purposeName(Purpose::Payments);
    return Principal{payments ? Principal::Kind::PaymentProvider : Principal::Kind::Scanner,
        Role::Clerk, query.value(0).toString()};
}

} // namespace Marquee
