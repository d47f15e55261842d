#pragma once

#include "Principal.h"
#include "Users.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <optional>

namespace Marquee {

class Clock;

struct SessionRules
{
    qint64 idleSeconds = 30 * 60; ///< a session unused this long ends
    qint64 absoluteSeconds = 12 * 3600; ///< and every session ends after this
    int maxFailures = 5; ///< failed sign-ins per name or address ...
    qint64 failureWindowSeconds = 15 * 60; ///< ... within this, then a ban
};

/// Staff sign-in sessions. A session token is 256 random bits, shown once
/// and stored as a hash; it ends at sign-out, after the idle or the absolute
/// timeout, or when its user is disabled. Failed sign-ins are counted per
/// user name and per client address: past the limit both are refused for a
/// while, even with the right password. Password checks happen elsewhere
/// (slow by design, never on the storage thread): this class only decides
/// and records.
class Sessions
{
public:
    struct Attempt
    {
        int retryAfter = 0; ///< seconds; > 0 when banned
        std::optional<Users::User> user; ///< the enabled user of that name
    };
    struct Opened
    {
        QString token;
        QString user;
        Role role = Role::Clerk;
        QDateTime expiresAt;
    };

    Sessions(QSqlDatabase db, const Clock &clock, SessionRules rules = {});

    /// Whether \a name may try from \a address now, and the user to check.
    Attempt begin(const QString &name, const QString &address) const;
    Opened open(const Users::User &user, const QString &address = {}) const;
    void recordFailure(const QString &name, const QString &address) const;
    /// Ends the session; false when there was none live.
    bool close(const QString &token, const QString &address = {}) const;
    /// The user of a live session, refreshing its idle timer.
    std::optional<Principal> principalOf(const QString &token) const;

private:
    int bannedFor(const QString &column, const QString &value) const;

    QSqlDatabase m_db;
    const Clock &m_clock;
    SessionRules m_rules;
};

} // namespace Marquee
