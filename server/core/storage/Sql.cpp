#include "Sql.h"

#include "ChangeNotice.h"
#include "ConnectionState.h"

#include <QSqlDriver>
#include <QSqlError>

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

Rows::Rows(QSqlQuery query, std::shared_ptr<CachedStatement> lease)
    : m_query(std::move(query))
    , m_lease(std::move(lease))
{
}

Rows::Rows(Rows &&other) noexcept
    : m_query(std::move(other.m_query))
    , m_lease(std::move(other.m_lease))
{
}

Rows &Rows::operator=(Rows &&other) noexcept
{
    if (this != &other) {
        giveBack();
        m_query = std::move(other.m_query);
        m_lease = std::move(other.m_lease);
    }
    return *this;
}

Rows::~Rows()
{
    giveBack();
}

void Rows::giveBack()
{
    if (!m_lease)
        return;
    m_query.finish();
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
        Rows rows(cached->query, cached); // gives the statement back however this ends
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

} // namespace Sql

Transaction::Transaction(QSqlDatabase db)
    : m_db(std::move(db))
{
    Sql::exec(
        m_db, Sql::isSqlite(m_db) ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
    m_open = true;
}

Transaction::~Transaction()
{
    if (m_open) {
        QSqlQuery rollback(m_db);
        rollback.exec(QStringLiteral("ROLLBACK"));
    }
}

void Transaction::commit(const AvailabilityChanges &changes, const std::optional<QDateTime> &expiry)
{
    if (!Sql::isSqlite(m_db) && (!changes.isEmpty() || expiry)) {
        const ChangeNotice notice{changes, {}, expiry};
        Sql::exec(m_db, QStringLiteral("SELECT pg_notify(?, ?)"),
            {QLatin1String(ChangeNotice::Channel), QString::fromUtf8(notice.encode())});
    }
    Sql::exec(m_db, QStringLiteral("COMMIT"));
    m_open = false;
}

ReadSnapshot::ReadSnapshot(QSqlDatabase db)
    : m_db(std::move(db))
{
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
