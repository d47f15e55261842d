#include "ConnectionState.h"

#include <QSqlDriver>

namespace Marquee {

std::shared_ptr<CachedStatement> StatementCache::lend(const QSqlDatabase &db, const QString &text)
{
    std::shared_ptr<CachedStatement> statement = m_statements.value(text);
    if (!statement) {
        if (m_statements.size() >= MaxStatements)
            return nullptr;
        statement = std::make_shared<CachedStatement>();
        statement->query = QSqlQuery(db);
        if (!statement->query.prepare(text))
            return nullptr; // the caller prepares it again and reports the error
        m_statements.insert(text, statement);
    }
    if (statement->lent)
        return nullptr;
    statement->lent = true;
    return statement;
}

void StatementCache::clear()
{
    for (const std::shared_ptr<CachedStatement> &statement : std::as_const(m_statements))
        statement->query.finish();
    m_statements.clear();
}

ConnectionState::ConnectionState(QObject *driver)
    : QObject(driver)
{
}

ConnectionState &ConnectionState::of(const QSqlDatabase &db)
{
    QSqlDriver *driver = db.driver();
    auto *state = driver->findChild<ConnectionState *>(QString(), Qt::FindDirectChildrenOnly);
    if (!state)
        state = new ConnectionState(driver);
    return *state;
}

} // namespace Marquee
