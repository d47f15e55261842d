#pragma once

#include <QSqlDatabase>

namespace Marquee {

/// Brings a database to the newest schema, one numbered step at a time, each
/// in its own transaction. The same steps run on SQLite and PostgreSQL; the
/// few words the dialects spell differently are filled in per backend.
class Migrations
{
public:
    /// Returns the schema version reached; throws StorageError. \a target
    /// stops at an earlier version (for the tests of each upgrade step).
    static int apply(const QSqlDatabase &db, int target = -1);
    static int latest();
};

} // namespace Marquee
