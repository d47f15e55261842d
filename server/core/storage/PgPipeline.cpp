#include "PgPipeline.h"

#include "ConnectionState.h"
#include "Sql.h"

#include <QDateTime>
#include <QSqlDriver>
#include <libpq-fe.h>
#include <vector>

namespace Marquee::PgPipeline {

namespace {

// The type oids of pg_type.h that answers are converted by.
constexpr Oid BoolOid = 16;
constexpr Oid Int8Oid = 20;
constexpr Oid Int2Oid = 21;
constexpr Oid Int4Oid = 23;
constexpr Oid OidOid = 26;
constexpr Oid TimestampTzOid = 1184;

PGconn *connectionOf(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    // Qt 6 names the type by libpq's struct, Qt 5 by its typedef.
    if (!handle.isValid()
        || (qstrcmp(handle.typeName(), "pg_conn*") != 0
            && qstrcmp(handle.typeName(), "PGconn*") != 0))
        throw StorageError(
            QStringLiteral("not a PostgreSQL connection: ") + QLatin1String(handle.typeName()));
    PGconn *connection = *static_cast<PGconn *const *>(handle.constData());
    if (!connection || PQstatus(connection) != CONNECTION_OK)
        throw StorageError(QStringLiteral("the database connection is lost"));
    return connection;
}

/// NULL exactly where QPSQL binds NULL: no value, or a null string, bytes or time.
bool isNullValue(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return true;
    switch (value.metaType().id()) {
    case QMetaType::QString:
        return value.toString().isNull();
    case QMetaType::QByteArray:
        return value.toByteArray().isNull();
    case QMetaType::QDateTime:
        return !value.toDateTime().isValid();
    default:
        return false;
    }
}

QByteArray textOf(const QVariant &value)
{
    switch (value.metaType().id()) {
    case QMetaType::Bool:
        return value.toBool() ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
    case QMetaType::QDateTime:
        return value.toDateTime().toUTC().toString(Qt::ISODateWithMs).toUtf8();
    case QMetaType::QByteArray:
        return value.toByteArray();
    default:
        return value.toString().toUtf8();
    }
}

/// PostgreSQL's text form of a timestamptz, "2026-12-02 15:40:00.123456+00"
/// with timezone=UTC (Storage sets it), as the QDateTime QPSQL would give.
QDateTime timeOf(const char *text)
{
    return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODateWithMs).toUTC();
}

QVariant valueOf(const PGresult *result, int row, int column)
{
    if (PQgetisnull(result, row, column))
        return {};
    const char *text = PQgetvalue(result, row, column);
    switch (PQftype(result, column)) {
    case BoolOid:
        return QVariant(text[0] == 't');
    case Int8Oid:
    case Int2Oid:
    case Int4Oid:
    case OidOid:
        return QVariant(QByteArray::fromRawData(text, qsizetype(qstrlen(text))).toLongLong());
    case TimestampTzOid:
        return QVariant(timeOf(text));
    default:
        return QVariant(QString::fromUtf8(text));
    }
}

Sql::Table tableOf(const PGresult *result)
{
    Sql::Table table;
    const int rows = PQntuples(result);
    const int columns = PQnfields(result);
    table.rows.reserve(rows);
    for (int row = 0; row < rows; ++row) {
        QVariantList values;
        values.reserve(columns);
        for (int column = 0; column < columns; ++column)
            values.append(valueOf(result, row, column));
        table.rows.append(std::move(values));
    }
    table.affected = QByteArray(PQcmdTuples(const_cast<PGresult *>(result))).toInt();
    return table;
}

/// One command sent: a PREPARE (whose answer has no table) or a statement.
struct Sent
{
    qsizetype statement = -1; ///< index into the batch; -1 for a PREPARE
    QString prepared; ///< the text a PREPARE was for, forgotten if it fails
};

class Pipeline
{
public:
    Pipeline(PGconn *connection, PgPrepared &prepared)
        : m_connection(connection)
        , m_prepared(prepared)
    {
    }

    void send(qsizetype index, const Sql::Statement &statement)
    {
        const QByteArray text = numberPlaceholders(statement.text);
        std::vector<QByteArray> texts;
        std::vector<const char *> values;
        texts.reserve(size_t(statement.values.size()));
        for (const QVariant &value : statement.values) {
            if (isNullValue(value)) {
                values.push_back(nullptr);
            } else {
                texts.push_back(textOf(value));
                values.push_back(texts.back().constData());
            }
        }
        const int count = int(values.size());
        QByteArray name = m_prepared.names.value(statement.text);
        if (name.isEmpty() && m_prepared.names.size() < PgPrepared::MaxStatements) {
            name = "marquee_" + QByteArray::number(m_prepared.names.size());
            check(PQsendPrepare(m_connection, name.constData(), text.constData(), count, nullptr));
            m_prepared.names.insert(statement.text, name);
            m_sent.push_back({-1, statement.text});
        }
        if (name.isEmpty())
            check(PQsendQueryParams(m_connection, text.constData(), count, nullptr, values.data(),
                nullptr, nullptr, 0));
        else
            check(PQsendQueryPrepared(
                m_connection, name.constData(), count, values.data(), nullptr, nullptr, 0));
        m_sent.push_back({index, {}});
    }

    QList<Sql::Table> finish(qsizetype statements)
    {
        check(PQpipelineSync(m_connection));
        QList<Sql::Table> tables(statements);
        QString failure;
        for (const Sent &sent : m_sent) {
            PGresult *result = next();
            const ExecStatusType status = PQresultStatus(result);
            if (status == PGRES_FATAL_ERROR && failure.isEmpty())
                failure = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
            const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
            if (!ok && sent.statement < 0)
                m_prepared.names.remove(sent.prepared);
            if (ok && sent.statement >= 0)
                tables[sent.statement] = tableOf(result);
            PQclear(result);
            // Each command's answer ends with a null result.
            if (PGresult *end = PQgetResult(m_connection)) {
                PQclear(end);
                failure = QStringLiteral("more answers than commands from the database");
                break;
            }
        }
        PGresult *sync = next();
        const bool synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
        PQclear(sync);
        if (!synced || !PQexitPipelineMode(m_connection))
            lose(QStringLiteral("the pipeline did not end"));
        if (!failure.isEmpty())
            throw StorageError(failure);
        return tables;
    }

    /// Leaves the connection out of pipeline mode on every way out: a bad
    /// connection is found by Storage's next probe, not by a stuck pipeline.
    [[noreturn]] void lose(const QString &what)
    {
        const QString detail = QString::fromUtf8(PQerrorMessage(m_connection)).trimmed();
        PQexitPipelineMode(m_connection);
        throw StorageError(what + QStringLiteral(": ") + detail);
    }

private:
    void check(int sent)
    {
        if (!sent)
            lose(QStringLiteral("could not send to the database"));
    }

    PGresult *next()
    {
        PGresult *result = PQgetResult(m_connection);
        if (!result)
            lose(QStringLiteral("the database answered less than was asked"));
        return result;
    }

    PGconn *m_connection;
    PgPrepared &m_prepared;
    std::vector<Sent> m_sent;
};

} // namespace

QByteArray numberPlaceholders(const QString &text)
{
    QString numbered;
    numbered.reserve(text.size() + 16);
    QChar quote;
    int next = 1;
    for (const QChar c : text) {
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == u'\'' || c == u'"') {
            quote = c;
        } else if (c == u'?') {
            numbered += u'$' + QString::number(next++);
            continue;
        }
        numbered += c;
    }
    return numbered.toUtf8();
}

QList<Sql::Table> run(const QSqlDatabase &db, const QList<Sql::Statement> &statements)
{
    PGconn *connection = connectionOf(db);
    // Only an idle connection can enter pipeline mode; QPSQL leaves it idle
    // after every statement (it reads each answer whole).
    if (!PQenterPipelineMode(connection))
        throw StorageError(QStringLiteral("the database connection is busy: ")
            + QString::fromUtf8(PQerrorMessage(connection)).trimmed());
    Pipeline pipeline(connection, ConnectionState::of(db).pgPrepared);
    for (qsizetype i = 0; i < statements.size(); ++i)
        pipeline.send(i, statements.at(i));
    return pipeline.finish(statements.size());
}

} // namespace Marquee::PgPipeline
