#include "Batch.h"

#include "ConnectionState.h"
#include "PgPipeline.h"
#include "Sql.h"

namespace Marquee::Sql {

Batch::Batch(QSqlDatabase db)
    : m_db(std::move(db))
{
}

qsizetype Batch::add(Statement statement)
{
    m_statements.append(std::move(statement));
    return m_statements.size() - 1;
}

QList<Table> Batch::run()
{
    const QList<Statement> statements = std::exchange(m_statements, {});
    if (statements.isEmpty())
        return {};
    // Outside a transaction PostgreSQL would run the batch as one and
    // SQLite each statement alone: inside one, a failure means the same.
    if (ConnectionState::of(m_db).nesting.depth == 0)
        throw StorageError(QStringLiteral("a batch runs inside a transaction"));
    if (!isSqlite(m_db))
        return PgPipeline::run(m_db, statements);
    QList<Table> tables;
    tables.reserve(statements.size());
    for (const Statement &statement : statements) {
        Rows rows = exec(m_db, statement.text, statement.values);
        Table table;
        table.affected = rows.numRowsAffected();
        const int columns = rows.columnCount();
        while (rows.next()) {
            QVariantList values;
            values.reserve(columns);
            for (int column = 0; column < columns; ++column)
                values.append(rows.value(column));
            table.rows.append(std::move(values));
        }
        tables.append(std::move(table));
    }
    return tables;
}

} // namespace Marquee::Sql
