#pragma once

#include "AuditLog.h"
#include "Principal.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <optional>

namespace Marquee {

class Clock;

/// Machine credentials: bearer tokens for what is not a person (the payment
/// provider's callback, a door scanner). Each is named, expires, can be
/// listed and revoked; only its hash is stored, so the token is shown once.
class Credentials
{
public:
    enum class Purpose
    {
        Payments,
        Scanner
    };
    static QString purposeName(Purpose purpose);
    static std::optional<Purpose> purposeFromName(const QString &name);

    struct Credential
    {
        QString id;
        QString name;
        Purpose purpose = Purpose::Payments;
        QDateTime createdAt;
        QDateTime expiresAt;
        QDateTime revokedAt; ///< null while not revoked
        QString createdBy;
    };
    struct Issued
    {
        Credential credential;
        QString token; ///< in clear, this once
    };

    static constexpr int MaxDays = 366;

    Credentials(QSqlDatabase db, const Clock &clock);

    /// A new credential valid for \a days; nullopt when a live one (not
    /// revoked, not expired) already has \a name.
    std::optional<Issued> issue(
        const QString &name, Purpose purpose, int days, const AuditActor &by) const;
    QList<Credential> list() const;
    /// Revokes it at once; false when there is no such credential live.
    bool revoke(const QString &id, const AuditActor &by) const;
    /// Whom a live credential's token speaks for.
    std::optional<Principal> principalOf(const QString &token) const;

private:
    QSqlDatabase m_db;
    const Clock &m_clock;
};

} // namespace Marquee
