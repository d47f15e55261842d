#include "ServerSecrets.h"

#include "Clock.h"
#include "Sql.h"
#include "Tokens.h"

namespace Marquee {

QByteArray ServerSecrets::obtain(const QSqlDatabase &db, const Clock &clock, const QString &name)
{
    // Servers starting at once each offer one; the first insert wins and
    // every server reads that one.
    Sql::exec(db,
        QStringLiteral("INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?)"
                       " ON CONFLICT (name) DO NOTHING"),
        {name, Tokens::newSecret(), isoUtc(clock.now())});
    return Sql::scalar(
        db, QStringLiteral("SELECT value FROM server_secrets WHERE name = ?"), {name})
        .toString()
        .toLatin1();
}

} // namespace Marquee
