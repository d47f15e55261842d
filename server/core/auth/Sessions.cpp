#include "Sessions.h"

#include "AuditLog.h"
#include "Clock.h"
#include "Sql.h"
#include "Tokens.h"

namespace Marquee {

namespace {
constexpr qint64 TouchEverySeconds = 60; ///< idle timer refreshed at most this often (a write)
}

Sessions::Sessions(QSqlDatabase db, const Clock &clock, SessionRules rules)
    : m_db(std::move(db))
    , m_clock(clock)
    , m_rules(rules)
{
}

int Sessions::bannedFor(const QString &column, const QString &value) const
{
    const QDateTime now = m_clock.now();
    Sql::Rows failures = Sql::exec(m_db,
        QStringLiteral("SELECT COUNT(*), MIN(at) FROM login_failures WHERE %1 = ? AND at > ?")
            .arg(column),
        {value, isoUtc(now.addSecs(-m_rules.failureWindowSeconds))});
    failures.next();
    if (failures.value(0).toInt() < m_rules.maxFailures)
        return 0;
    // Banned until the oldest failure in the window leaves it (rounded up:
    // times are kept to the second).
    const QDateTime oldest = Sql::time(failures.value(1));
    return int(
        qMax<qint64>(1, now.msecsTo(oldest.addSecs(m_rules.failureWindowSeconds)) / 1000 + 1));
}

Sessions::Attempt Sessions::begin(const QString &name, const QString &address) const
{
    Attempt attempt;
    attempt.retryAfter = qMax(bannedFor(QStringLiteral("user_name"), name),
        bannedFor(QStringLiteral("address"), address));
    if (attempt.retryAfter > 0)
        return attempt;
    auto user = Users(m_db, m_clock).find(name);
    if (user && !user->disabled)
        attempt.user = user;
    return attempt;
}

void Sessions::recordFailure(const QString &name, const QString &address) const
{
    Sql::exec(m_db,
        QStringLiteral("INSERT INTO login_failures (user_name, address, at) VALUES (?, ?, ?)"),
        {name, address, isoUtc(m_clock.now())});
    AuditLog(m_db, m_clock).record({name, address}, QStringLiteral("session.refuse"), name);
}

Sessions::Opened Sessions::open(const Users::User &user, const QString &address) const
{
    const QDateTime now = m_clock.now();
    Opened opened{Tokens::newSecret(), user.name, user.role, now.addSecs(m_rules.absoluteSeconds)};
    Sql::exec(m_db,
        QStringLiteral("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at,"
                       " expires_at) VALUES (?, ?, ?, ?, ?)"),
        {Tokens::hash(opened.token), user.id, isoUtc(now), isoUtc(now), isoUtc(opened.expiresAt)});
    AuditLog(m_db, m_clock).record({user.name, address}, QStringLiteral("session.open"), user.name);
    return opened;
}

bool Sessions::close(const QString &token, const QString &address) const
{
    const QString hash = Tokens::hash(token);
    const bool closed = Sql::exec(m_db,
                            QStringLiteral("UPDATE sessions SET ended_at = ? WHERE token_hash = ?"
                                           " AND ended_at IS NULL"),
                            {isoUtc(m_clock.now()), hash})
                            .numRowsAffected()
        == 1;
    if (closed) {
        const QString name = Sql::scalar(m_db,
            QStringLiteral("SELECT u.name FROM sessions s JOIN users u ON u.id = s.user_id"
                           " WHERE s.token_hash = ?"),
            {hash})
                                 .toString();
        AuditLog(m_db, m_clock).record({name, address}, QStringLiteral("session.close"), name);
    }
    return closed;
}

std::optional<Principal> Sessions::principalOf(const QString &token) const
{
    if (token.isEmpty())
        return std::nullopt;
    const QDateTime now = m_clock.now();
    const QString hash = Tokens::hash(token);
    Sql::Rows session = Sql::exec(m_db,
        QStringLiteral(
            "SELECT u.role, s.last_seen_at, u.name FROM sessions s JOIN users u ON u.id = s.user_id"
            " WHERE s.token_hash = ? AND s.ended_at IS NULL AND s.expires_at > ?"
            " AND s.last_seen_at > ? AND u.disabled = 0"),
        {hash, isoUtc(now), isoUtc(now.addSecs(-m_rules.idleSeconds))});
    if (!session.next())
        return std::nullopt;
    if (Sql::time(session.value(1)).secsTo(now) >= TouchEverySeconds) {
        Sql::exec(m_db, QStringLiteral("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?"),
            {isoUtc(now), hash});
    }
    const auto role = roleFromName(session.value(0).toString());
    if (!role)
        return std::nullopt;
    return Principal{Principal::Kind::Staff, *role, session.value(2).toString()};
}

} // namespace Marquee
