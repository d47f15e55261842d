#include "Sql.h"

#include "ChangeNotice.h"
#include "ConnectionState.h"
#include "GroupEventWrites.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlRecord>

namespace Marquee {

namespace Sql {

namespace {

[[noreturn]] void fail(const QSqlQuery &query, const QString &statement)
{
    throw StorageError(query.lastError().text() + QStringLiteral(" in: ") + statement);
}

bool bindAndRun(QSqlQuery &query, const QVariantList &values)
{
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    return query.exec();
}

} // namespace

Rows::Rows(QSqlQuery own)
    : m_own(std::move(own))
{
}

Rows::Rows(std::shared_ptr<CachedStatement> lease)
    : m_lease(std::move(lease))
{
}

Rows::Rows(Rows &&other) noexcept
    : m_own(std::move(other.m_own))
    , m_lease(std::move(other.m_lease))
{
}

Rows &Rows::operator=(Rows &&other) noexcept
{
    if (this != &other) {
        giveBack();
        m_own = std::move(other.m_own);
        m_lease = std::move(other.m_lease);
    }
    return *this;
}

Rows::~Rows()
{
    giveBack();
}

int Rows::columnCount() const
{
    return query().record().count();
}

QSqlQuery &Rows::query()
{
    return m_lease ? m_lease->query : m_own;
}

const QSqlQuery &Rows::query() const
{
    return m_lease ? m_lease->query : m_own;
}

void Rows::giveBack()
{
    if (!m_lease)
        return;
    m_lease->query.finish();
    m_lease->lent = false;
    m_lease.reset();
}

Rows exec(const QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    // PostgreSQL cannot prepare DDL or transaction control; statements
    // without values run directly.
    if (values.isEmpty()) {
        QSqlQuery query(db);
        if (!query.exec(statement))
            fail(query, statement);
        return Rows(std::move(query));
    }
    if (std::shared_ptr<CachedStatement> cached
        = ConnectionState::of(db).statements.lend(db, statement)) {
        Rows rows(cached); // gives the statement back however this ends
        if (!bindAndRun(cached->query, values))
            fail(cached->query, statement);
        return rows;
    }
    QSqlQuery query(db);
    if (!query.prepare(statement) || !bindAndRun(query, values))
        fail(query, statement);
    return Rows(std::move(query));
}

QVariant scalar(const QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    Rows rows = exec(db, statement, values);
    return rows.next() ? rows.value(0) : QVariant();
}

void close(QSqlDatabase &db)
{
    if (db.driver())
        ConnectionState::of(db).statements.clear();
    db.close();
}

QDateTime time(const QVariant &value)
{
    if (value.isNull())
        return {};
    if (value.metaType().id() == QMetaType::QDateTime)
        return value.toDateTime().toUTC();
    return QDateTime::fromString(value.toString(), Qt::ISODate).toUTC();
}

bool isSqlite(const QSqlDatabase &db)
{
    return db.driverName() == QLatin1String("QSQLITE");
}

QString lockClause(const QSqlDatabase &db, QStringView clause)
{
    return isSqlite(db) ? QString() : clause.toString();
}

void lockUntilCommit(const QSqlDatabase &db, qint64 key)
{
    if (!isSqlite(db))
        exec(db, QStringLiteral("SELECT pg_advisory_xact_lock(?)"), {key});
}

} // namespace Sql

namespace {

QString savepoint(int depth)
{
    return QStringLiteral("marquee_%1").arg(depth);
}

} // namespace

Transaction::Transaction(QSqlDatabase db)
    : m_db(std::move(db))
    , m_nesting(ConnectionState::of(m_db).nesting)
{
    if (m_nesting.depth == 0)
        Sql::exec(m_db,
            Sql::isSqlite(m_db) ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
    else
        Sql::exec(m_db, QStringLiteral("SAVEPOINT ") + savepoint(m_nesting.depth));
    m_depth = ++m_nesting.depth;
    m_noticesBefore = m_nesting.notices.size();
    m_stagedBefore = m_nesting.group ? m_nesting.group->size() : 0;
    m_open = true;
}

Transaction::~Transaction()
{
    if (!m_open)
        return;
    m_nesting.depth = m_depth - 1;
    m_nesting.notices.resize(m_noticesBefore);
    if (m_nesting.group)
        m_nesting.group->truncate(m_stagedBefore);
    QSqlQuery rollback(m_db);
    if (m_depth == 1) {
        rollback.exec(QStringLiteral("ROLLBACK"));
        m_nesting.notices.clear();
        m_nesting.poisoned = false;
        return;
    }
    // Undo this part only; the transaction around it goes on. If that
    // fails, the parts before it must not commit with what this one wrote.
    const QString name = savepoint(m_depth - 1);
    if (!rollback.exec(QStringLiteral("ROLLBACK TO SAVEPOINT ") + name)
        || !rollback.exec(QStringLiteral("RELEASE SAVEPOINT ") + name))
        m_nesting.poisoned = true;
}

void Transaction::commit(const AvailabilityChanges &changes, const std::optional<QDateTime> &expiry)
{
    if (!changes.isEmpty() || expiry)
        m_nesting.notices.append(ChangeNotice{changes, {}, expiry});
    if (m_depth > 1) {
        Sql::exec(m_db, QStringLiteral("RELEASE SAVEPOINT ") + savepoint(m_depth - 1));
    } else {
        if (m_nesting.poisoned)
            throw StorageError(QStringLiteral("a part of this transaction could not be undone"));
        if (!Sql::isSqlite(m_db)) {
            for (const QByteArray &payload : ChangeNotice::encode(m_nesting.notices))
                Sql::exec(m_db, QStringLiteral("SELECT pg_notify(?, ?)"),
                    {QLatin1String(ChangeNotice::Channel), QString::fromUtf8(payload)});
        }
        Sql::exec(m_db, QStringLiteral("COMMIT"));
        m_nesting.notices.clear();
    }
    m_nesting.depth = m_depth - 1;
    m_open = false;
}

ReadSnapshot::ReadSnapshot(QSqlDatabase db)
    : m_db(std::move(db))
{
    // Inside a transaction BEGIN would fail on SQLite, and on PostgreSQL
    // only warn, and the ROLLBACK after it would undo the transaction.
    if (ConnectionState::of(m_db).nesting.depth > 0)
        throw StorageError(QStringLiteral("a consistent read cannot run inside a transaction"));
    Sql::exec(m_db,
        Sql::isSqlite(m_db) ? QStringLiteral("BEGIN")
                            : QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
}

ReadSnapshot::~ReadSnapshot()
{
    QSqlQuery end(m_db);
    end.exec(QStringLiteral("ROLLBACK"));
}

} // namespace Marquee
