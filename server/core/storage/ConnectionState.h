#pragma once

#include "ChangeNotice.h"
#include "PgPipeline.h"

#include <QHash>
#include <QObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <memory>

namespace Marquee {

class GroupEventWrites;

/// One prepared statement of a connection, lent to one caller at a time.
struct CachedStatement
{
    QSqlQuery query;
    bool lent = false;
};

/// The statements a connection has prepared, by their text. Preparing is
/// most of a short statement's cost: SQLite parses and plans it again, and
/// Qt's PostgreSQL driver sends PREPARE, EXECUTE and DEALLOCATE, three round
/// trips where one does.
class StatementCache
{
public:
    /// The statement \a text prepared once, or nullptr when it is lent out
    /// right now (a caller still reads its rows) or the cache is full: the
    /// caller then prepares a statement of its own.
    std::shared_ptr<CachedStatement> lend(const QSqlDatabase &db, const QString &text);
    /// Finishes every statement and forgets them: after migrations (plans
    /// made before a schema change may not fit it) and before a connection
    /// closes (a statement must not outlive its connection).
    void clear();
    int size() const { return int(m_statements.size()); }

    /// Dynamic statements (IN lists of any length) must not grow it forever.
    static constexpr int MaxStatements = 256;

private:
    QHash<QString, std::shared_ptr<CachedStatement>> m_statements;
};

/// What a transaction nested in another needs to know: how deep it is, and
/// the notices its committed savepoints leave for the outermost COMMIT.
struct TransactionNesting
{
    int depth = 0;
    QList<ChangeNotice> notices;
    /// A savepoint could not be rolled back: the whole transaction must not commit.
    bool poisoned = false;
    /// Set while a group commit runs its jobs: their event writes wait there.
    GroupEventWrites *group = nullptr;
};

/// What Marquee keeps per database connection beside Qt's driver. It is a
/// child of the connection's QSqlDriver, so it lives exactly as long as the
/// connection and is found from any QSqlDatabase handle of it: the services
/// get a QSqlDatabase, not a Marquee type, and need not change.
class ConnectionState : public QObject
{
    Q_OBJECT

public:
    /// The state of \a db's connection, made at first use.
    static ConnectionState &of(const QSqlDatabase &db);

    StatementCache statements;
    PgPrepared pgPrepared; ///< PostgreSQL only: what Batch prepared (PgPipeline)
    TransactionNesting nesting;

private:
    explicit ConnectionState(QObject *driver);
};

} // namespace Marquee
