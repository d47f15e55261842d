#pragma once

#include "Batch.h"

#include <QByteArray>
#include <QHash>

namespace Marquee {

/// The statements a PostgreSQL connection has prepared through libpq, by
/// their text (Qt's driver keeps its own, under other names).
struct PgPrepared
{
    QHash<QString, QByteArray> names;
    /// Dynamic statements (IN lists of any length) must not grow it forever;
    /// past this, a statement is parsed each time it runs.
    static constexpr int MaxStatements = 256;
};

/// Runs a Batch on a PostgreSQL connection opened by Qt's QPSQL driver,
/// through the driver's libpq handle: every statement prepared once per
/// connection, all of them sent as one pipeline, the answers read after one
/// sync. Qt's driver has no pipelining, and each of its prepared statements
/// travels as a text EXECUTE that the backend parses again.
///
/// The connection leaves pipeline mode before this returns, so the driver
/// finds it as it left it. Values go as text, typed by the statement (as
/// QPSQL sends them); answers come back as qlonglong, bool, QDateTime (UTC, from timestamptz)
/// or QString, NULL as a null QVariant.
namespace PgPipeline {

/// \a statements in order; throws StorageError at the first that fails.
QList<Sql::Table> run(const QSqlDatabase &db, const QList<Sql::Statement> &statements);

/// \a text with its `?` placeholders numbered `$1`, `$2`, ... as PostgreSQL
/// wants them; quoted text and names are left alone.
QByteArray numberPlaceholders(const QString &text);

} // namespace PgPipeline

} // namespace Marquee
