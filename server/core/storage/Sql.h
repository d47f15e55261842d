#pragma once

#include "AvailabilityChange.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>
#include <memory>
#include <optional>
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

struct CachedStatement;

namespace Sql {

/// The result of one statement. A statement with values comes from the
/// connection's StatementCache and goes back to it when its Rows go out of
/// scope; until then nobody else runs it, so two Rows of one statement never
/// share rows. Going back also finishes it: on SQLite a statement left
/// stepping keeps an old snapshot of the database open.
class Rows
{
public:
    /// A statement of its own (not from the cache).
    explicit Rows(QSqlQuery own);
    /// A cached statement, lent until these Rows go.
    explicit Rows(std::shared_ptr<CachedStatement> lease);
    Rows(Rows &&other) noexcept;
    Rows &operator=(Rows &&other) noexcept;
    Rows(const Rows &) = delete;
    Rows &operator=(const Rows &) = delete;
    ~Rows();

    bool next() { return query().next(); }
    bool first() { return query().first(); }
    bool isValid() const { return query().isValid(); }
    QVariant value(int column) const { return query().value(column); }
    QVariant value(const QString &column) const { return query().value(column); }
    int numRowsAffected() const { return query().numRowsAffected(); }
    int columnCount() const;
    QVariant lastInsertId() const { return query().lastInsertId(); }

private:
    QSqlQuery &query();
    const QSqlQuery &query() const;
    void giveBack();

    QSqlQuery m_own;
    std::shared_ptr<CachedStatement> m_lease;
};

/// Binds \a values positionally and runs \a statement, prepared once per
/// connection (see StatementCache); throws StorageError.
Rows exec(const QSqlDatabase &db, const QString &statement, const QVariantList &values = {});

/// The first column of the first row, or an invalid QVariant when there is none.
QVariant scalar(const QSqlDatabase &db, const QString &statement, const QVariantList &values = {});

bool isSqlite(const QSqlDatabase &db);

/// Closes \a db after forgetting its prepared statements, which must not
/// outlive the connection they were prepared on.
void close(QSqlDatabase &db);

/// A time column's value, in UTC. PostgreSQL keeps times as timestamptz and
/// QPSQL hands them over as QDateTime; SQLite keeps the ISO text.
QDateTime time(const QVariant &value);

/// A row-locking clause such as " FOR UPDATE" on PostgreSQL; nothing on
/// SQLite, where BEGIN IMMEDIATE already holds the only write lock.
QString lockClause(const QSqlDatabase &db, QStringView clause = u" FOR UPDATE");

/// Inside a transaction: waits for and takes lock \a key until the
/// transaction ends, so servers doing the same one-time set-up at once take
/// turns and the later ones find it done. PostgreSQL: an advisory lock;
/// SQLite: nothing, BEGIN IMMEDIATE already lets one writer in at a time.
void lockUntilCommit(const QSqlDatabase &db, qint64 key);

} // namespace Sql

struct TransactionNesting;

/// Rolls back unless commit() was called. On SQLite it begins with
/// BEGIN IMMEDIATE so the write lock is taken up front: two writers never
/// both read and then fail on upgrade. On PostgreSQL, commit() NOTIFYs the
/// other servers of what the transaction changed, inside the transaction:
/// the notice goes out if and only if the changes commit, in commit order.
///
/// Inside another Transaction on the same connection it is a savepoint:
/// rolling it back undoes its own writes only, and committing it leaves its
/// notice to the outermost commit, which sends them all (Storage's group
/// commit runs many jobs in one transaction this way).
class Transaction
{
public:
    explicit Transaction(QSqlDatabase db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    /// \a changes and \a expiry (the earliest hold expiry this transaction
    /// created) are what the other servers must hear of.
    void commit(const AvailabilityChanges &changes = {},
        const std::optional<QDateTime> &expiry = std::nullopt);

private:
    QSqlDatabase m_db;
    TransactionNesting &m_nesting;
    int m_depth = 0; ///< 1 for the outermost
    qsizetype m_noticesBefore = 0;
    qsizetype m_stagedBefore = 0; ///< of a group commit's event writes
    bool m_open = false;
};

/// A consistent read: every statement in its lifetime sees the database as
/// of one moment (REPEATABLE READ on PostgreSQL; a deferred transaction,
/// which reads one WAL snapshot, on SQLite). Changes nothing. Not inside a
/// Transaction: it throws StorageError there.
class ReadSnapshot
{
public:
    explicit ReadSnapshot(QSqlDatabase db);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot &) = delete;
    ReadSnapshot &operator=(const ReadSnapshot &) = delete;

private:
    QSqlDatabase m_db;
};

} // namespace Marquee
