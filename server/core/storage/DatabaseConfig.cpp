#include "DatabaseConfig.h"

#include <QUrl>

namespace Marquee {

std::optional<DatabaseConfig> DatabaseConfig::parse(const QString &text, QString *error)
{
    DatabaseConfig config;
    if (text.startsWith(QLatin1String("sqlite:"))) {
        config.backend = Backend::Sqlite;
        config.path = text.mid(7);
        if (config.path.isEmpty()) {
            *error = QStringLiteral(
                "sqlite: needs a file path, e.g. sqlite:/var/lib/marquee/marquee.db");
            return std::nullopt;
        }
        return config;
    }
    const QUrl url(text, QUrl::StrictMode);
    if (url.isValid()
        && (url.scheme() == QLatin1String("postgresql")
            || url.scheme() == QLatin1String("postgres"))) {
        config.backend = Backend::Postgres;
        config.host = url.host();
        config.port = url.port(5432);
        config.user = url.userName();
        config.password = url.password();
        config.database = url.path().mid(1);
        if (config.host.isEmpty() || config.database.isEmpty()) {
            *error = QStringLiteral(
                "postgresql URL needs a host and a database: postgresql://USER@HOST:PORT/DB");
            return std::nullopt;
        }
        return config;
    }
    *error = QStringLiteral("--db takes sqlite:PATH or postgresql://USER@HOST:PORT/DB");
    return std::nullopt;
}

QString DatabaseConfig::driverName() const
{
    return backend == Backend::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL");
}

QString DatabaseConfig::describe() const
{
    if (backend == Backend::Sqlite)
        return QStringLiteral("sqlite:") + path;
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(user, host).arg(port).arg(database);
}

} // namespace Marquee
