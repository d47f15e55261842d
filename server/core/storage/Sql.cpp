#include "Sql.h"

#include "ChangeNotice.h"

#include <QSqlDriver>
#include <QSqlError>

namespace Marquee {

namespace Sql {

QSqlQuery exec(const QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    QSqlQuery query(db);
    // PostgreSQL cannot prepare DDL or transaction control; statements
    // without values run directly.
    const bool ok = values.isEmpty() ? query.exec(statement) : [&] {
        if (!query.prepare(statement))
            return false;
        for (const QVariant &value : values)
            query.addBindValue(value);
        return query.exec();
    }();
    if (!ok)
        throw StorageError(query.lastError().text() + QStringLiteral(" in: ") + statement);
    return query;
}

QVariant scalar(const QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    QSqlQuery query = exec(db, statement, values);
    return query.next() ? query.value(0) : QVariant();
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
