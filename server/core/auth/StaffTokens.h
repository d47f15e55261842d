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
    StaffTokens(QSqlDatabase db, const Clock &clock);

    /// Creates a token and returns it in clear, the only time it exists so.
    QString issue(const QString &role = QStringLiteral("clerk")) const;
    /// Issues the first token when there is none yet.
    std::optional<QString> issueFirst() const;
    bool verify(const QString &token) const;

private:
    QSqlDatabase m_db;
    const Clock &m_clock;
};

} // namespace Marquee
