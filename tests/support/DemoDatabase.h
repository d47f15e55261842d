#pragma once

#include "AvailabilityChange.h"
#include "SeatState.h"

#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

namespace Marquee {
class Clock;
}

namespace Marquee::Test {

class TestDatabases;

/// A fresh database with the demo venue, opened on the test's own thread, for
/// tests that drive the checkout services directly; plus the few questions
/// those tests ask of it.
class DemoDatabase
{
public:
    DemoDatabase(TestDatabases &databases, const Clock &clock, const QString &connectionName);
    ~DemoDatabase();
    DemoDatabase(const DemoDatabase &) = delete;
    DemoDatabase &operator=(const DemoDatabase &) = delete;

    bool isOpen() const { return m_db.isOpen(); }
    QString error() const { return m_error; }
    QSqlDatabase db() const { return m_db; }

    qint64 count(const QString &sql, const QVariantList &values = {}) const;
    /// What the expiry timer does when it fires: each due hold released on
    /// its own, at \a clock's time.
    AvailabilityChanges releaseDue(const Clock &clock) const;
    qint64 version(const QString &event) const;
    /// A seat's state as the database says, computed the way the server does.
    SeatState seatState(
        const QString &label, const QString &event = QStringLiteral("breakfast-ii")) const;

private:
    QString m_connectionName;
    QSqlDatabase m_db;
    QString m_error;
};

} // namespace Marquee::Test
