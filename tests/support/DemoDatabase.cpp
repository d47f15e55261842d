#include "DemoDatabase.h"

#include "DemoSeeder.h"
#include "EventRepository.h"
#include "HoldService.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"

namespace Marquee::Test {

DemoDatabase::DemoDatabase(
    TestDatabases &databases, const Clock &clock, const QString &connectionName)
    : m_connectionName(connectionName)
{
    m_db = openDatabase(databases.fresh(), connectionName, &m_error);
    if (m_db.isOpen() && !DemoSeeder::seed(m_db, clock)) {
        m_error = QStringLiteral("the fresh database already had the demo");
        m_db.close();
    }
}

DemoDatabase::~DemoDatabase()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

qint64 DemoDatabase::count(const QString &sql, const QVariantList &values) const
{
    return Sql::scalar(m_db, sql, values).toLongLong();
}

AvailabilityChanges DemoDatabase::releaseDue(const Clock &clock) const
{
    const HoldService holds(m_db, clock, HoldRules{});
    AvailabilityChanges changes;
    for (const QString &id : holds.dueHolds())
        changes.append(holds.releaseExpired(id).value_or(AvailabilityChanges{}));
    return changes;
}

qint64 DemoDatabase::version(const QString &event) const
{
    return count(QStringLiteral("SELECT version FROM events WHERE slug = ?"), {event});
}

SeatState DemoDatabase::seatState(const QString &label, const QString &event) const
{
    const AvailabilityChanges all = EventRepository(m_db).loadAvailability(event);
    return all.isEmpty() ? SeatState::Blocked : all.first().seats.value(label, SeatState::Blocked);
}

} // namespace Marquee::Test
