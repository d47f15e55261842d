#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>
#include <stdexcept>

namespace Marquee {

/// A failed statement. Thrown inside storage jobs only and caught at the job
/// boundary (Storage::run), where the open transaction has already been
/// rolled back by its guard; it never crosses into HTTP or channel code.
class StorageError : public std::runtime_error
{
public:
    explicit StorageError(const QString &message)
        : std::runtime_error(message.toStdString())
    {
    }
};

namespace Sql {

/// Prepares, binds positionally and runs \a statement; throws StorageError.
QSqlQuery exec(const QSqlDatabase &db, const QString &statement, const QVariantList &values = {});

/// The first column of the first row, or an invalid QVariant when there is none.
QVariant scalar(const QSqlDatabase &db, const QString &statement, const QVariantList &values = {});

bool isSqlite(const QSqlDatabase &db);

/// A row-locking clause such as " FOR UPDATE" on PostgreSQL; nothing on
/// SQLite, where BEGIN IMMEDIATE already holds the only write lock.
QString lockClause(const QSqlDatabase &db, QStringView clause = u" FOR UPDATE");

} // namespace Sql

/// Rolls back unless commit() was called. On SQLite it begins with
/// BEGIN IMMEDIATE so the write lock is taken up front: two writers never
/// both read and then fail on upgrade.
class Transaction
{
public:
    explicit Transaction(QSqlDatabase db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    void commit();

private:
    QSqlDatabase m_db;
    bool m_open = false;
};

} // namespace Marquee
