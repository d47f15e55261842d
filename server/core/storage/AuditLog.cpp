#include "AuditLog.h"

#include <QJsonArray>

#include "Clock.h"
#include "Sql.h"

#include <QJsonDocument>

namespace Marquee {

AuditLog::AuditLog(QSqlDatabase db, const Clock &clock)
    : m_db(std::move(db))
    , m_clock(clock)
{
}

void AuditLog::record(const AuditActor &actor, const QString &action, const QString &subject,
    const QString &event, const QJsonObject &details) const
{
    const Sql::Statement insert = entry(actor, action, subject, event, details);
    Sql::exec(m_db, insert.text, insert.values);
}

Sql::Statement AuditLog::entry(const AuditActor &actor, const QString &action,
    const QString &subject, const QString &event, const QJsonObject &details) const
{
    return {
        QStringLiteral("INSERT INTO audit_log (at, actor, action, subject, address, event, details)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)"),
        // A null QString binds as NULL: the server's own actions have "".
        {isoUtc(m_clock.now()), actor.name, action, subject,
            actor.address.isNull() ? QStringLiteral("") : actor.address,
            event.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(event),
            QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact))}};
}

AuditLog::Page AuditLog::read(qint64 after, int limit, const Filter &filter) const
{
    QString sql = QStringLiteral("SELECT id, at, actor, action, subject, address, event, details"
                                 " FROM audit_log WHERE id > ?");
    QVariantList values{after};
    const auto where = [&](const QString &clause, const QVariant &value) {
        sql += QStringLiteral(" AND ") + clause;
        values.append(value);
    };
    if (!filter.actor.isEmpty())
        where(QStringLiteral("actor = ?"), filter.actor);
    if (!filter.action.isEmpty())
        where(QStringLiteral("action = ?"), filter.action);
    if (!filter.event.isEmpty())
        where(QStringLiteral("event = ?"), filter.event);
    if (filter.from.isValid())
        where(QStringLiteral("at >= ?"), isoUtc(filter.from));
    if (filter.until.isValid())
        where(QStringLiteral("at < ?"), isoUtc(filter.until));
    sql += QStringLiteral(" ORDER BY id LIMIT %1").arg(qBound(1, limit, MaxPage));

    Page page;
    page.next = after;
    Sql::Rows query = Sql::exec(m_db, sql, values);
    while (query.next()) {
        page.entries.append({query.value(0).toLongLong(), Sql::time(query.value(1)),
            query.value(2).toString(), query.value(3).toString(), query.value(4).toString(),
            query.value(5).toString(), query.value(6).toString(),
            QJsonDocument::fromJson(query.value(7).toString().toUtf8()).object()});
        page.next = page.entries.last().id;
    }
    return page;
}

QString AuditLog::eventOf(const AvailabilityChanges &changes, QJsonObject *details)
{
    QStringList events;
    for (const AvailabilityChange &change : changes) {
        if (!events.contains(change.event))
            events.append(change.event);
    }
    if (events.size() == 1)
        return events.first();
    if (events.size() > 1)
        details->insert(QStringLiteral("events"), QJsonArray::fromStringList(events));
    return {};
}

} // namespace Marquee
