#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

namespace Marquee::Sql {

/// A statement and the values of its placeholders (`?`, bound in order).
struct Statement
{
    QString text;
    QVariantList values;
};

/// One statement's answer in a Batch: its rows, copied out, and how many
/// rows it changed.
struct Table
{
    QList<QVariantList> rows;
    int affected = 0;

    bool isEmpty() const { return rows.isEmpty(); }
    /// The value at \a row, \a column; an invalid QVariant when there is none.
    QVariant value(int row, int column) const
    {
        return row < rows.size() && column < rows.at(row).size() ? rows.at(row).at(column)
                                                                 : QVariant();
    }
};

/// Statements that run one after the other, each seeing what the ones
/// before it did, sent to the database in one round trip.
///
/// On PostgreSQL a hold was fourteen statements and as many round trips,
/// the storage thread and the backend taking turns to wait for each other
/// (RESULTS.md, "Analysis (2026-12-02, the run of 14:03 UTC)"). A Batch goes
/// out as one libpq pipeline of prepared statements (PgPipeline). What a
/// statement reads can therefore not decide what the next one is: a caller
/// puts the statements that go together in one Batch, looks at the answers,
/// and decides what comes next. On SQLite, where a statement is a function
/// call, the statements simply run in order.
///
/// A Batch runs inside a Transaction (outside one it throws StorageError).
/// The first statement that fails throws StorageError and the ones after it
/// do not run; the Transaction then rolls back as ever.
class Batch
{
public:
    explicit Batch(QSqlDatabase db);

    /// Appends \a statement; returns its index in run()'s answer.
    qsizetype add(Statement statement);
    qsizetype add(const QString &text, const QVariantList &values = {})
    {
        return add(Statement{text, values});
    }
    const QSqlDatabase &database() const { return m_db; }
    bool isEmpty() const { return m_statements.isEmpty(); }
    qsizetype size() const { return m_statements.size(); }

    /// Runs every statement added, in order, and forgets them; one Table
    /// per statement, in the same order.
    QList<Table> run();

private:
    QSqlDatabase m_db;
    QList<Statement> m_statements;
};

} // namespace Marquee::Sql
