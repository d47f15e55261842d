#pragma once

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

namespace Marquee {

class Clock;

/// Secrets the server makes for itself (the order links' key, the test
/// provider's signing key): 256 random bits made at first start and kept in
/// the database, never on a command line or in a settings file. Several
/// servers on one PostgreSQL share them: the first to start makes each.
class ServerSecrets
{
public:
    static QByteArray obtain(const QSqlDatabase &db, const Clock &clock, const QString &name);
};

} // namespace Marquee
