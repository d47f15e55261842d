#pragma once

#include <QString>
#include <optional>

namespace Marquee {

/// Where the data lives, parsed from --db: "sqlite:PATH" or
/// "postgresql://USER[:PASSWORD]@HOST:PORT/DB".
struct DatabaseConfig
{
    enum class Backend
    {
        Sqlite,
        Postgres
    };
    Backend backend = Backend::Sqlite;
    QString path; ///< SQLite file
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString database;

    static std::optional<DatabaseConfig> parse(const QString &text, QString *error);
    QString driverName() const;
    /// Safe for logs: never contains the password.
    QString describe() const;
};

} // namespace Marquee
