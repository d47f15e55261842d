#include "CheckCommand.h"

#include "InvariantsCheck.h"
#include "Storage.h"

#include <QFileInfo>

namespace Marquee {

int CheckCommand::run(
    const DatabaseConfig &database, const Clock &clock, std::FILE *out, std::FILE *err)
{
    // SQLite would create a missing file: a typo in the path must not look
    // like a clean, empty box office.
    if (database.backend == DatabaseConfig::Backend::Sqlite && !QFileInfo::exists(database.path)) {
        std::fprintf(err, "marquee-server: no database at %s\n", qPrintable(database.path));
        return CannotCheck;
    }
    const QString connection = QStringLiteral("marquee-check");
    int code = CannotCheck;
    {
        QString error;
        // Read only: a check beside a running server must not migrate its schema.
        QSqlDatabase db = openDatabase(database, connection, &error, Schema::MustBeCurrent);
        if (!db.isOpen()) {
            std::fprintf(err, "marquee-server: cannot open %s: %s\n",
                qPrintable(database.describe()), qPrintable(error));
        } else {
            try {
                const InvariantsCheck::Report report = InvariantsCheck(db, clock).run();
                std::fprintf(out, "Invariants check of %s\n%s", qPrintable(database.describe()),
                    qPrintable(report.toText()));
                code = report.clean() ? Clean : Violations;
            } catch (const StorageError &failure) {
                std::fprintf(err, "marquee-server: cannot read %s: %s\n",
                    qPrintable(database.describe()), failure.what());
            }
            Sql::close(db);
        }
    }
    QSqlDatabase::removeDatabase(connection);
    std::fflush(out);
    return code;
}

} // namespace Marquee
