#pragma once

#include "AvailabilityChange.h"
#include "Batch.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace Marquee {

class Clock;

/// Who did something, as the audit trail names them.
struct AuditActor
{
    QString name; ///< a user name, "credential:NAME", "cart:ID" or "system"
    QString address; ///< the client's address; empty for the server itself

    static AuditActor system() { return {QStringLiteral("system"), {}}; }
};

/// The append-only record of every change to inventory, orders, payments,
/// plans, events, users and sessions. An entry is written inside the
/// transaction of the change it describes, so it commits (or rolls back)
/// with it; the database refuses UPDATE and DELETE on the table.
class AuditLog
{
public:
    struct Entry
    {
        qint64 id = 0;
        QDateTime at;
        QString actor;
        QString action; ///< "hold.create", "order.refund", "user.disable", ...
        QString subject; ///< what it acted on: a hold, an order, a user name
        QString address;
        QString event; ///< the event's slug, when it concerns one
        QJsonObject details; ///< before and after, for changes of price, plan, role
    };
    struct Filter
    {
        QString actor;
        QString action;
        QString event;
        QDateTime from; ///< inclusive; null for no bound
        QDateTime until; ///< exclusive; null for no bound
    };
    struct Page
    {
        QList<Entry> entries;
        qint64 next = 0; ///< the id to pass as \\a after for the next page
    };

    static constexpr int MaxPage = 500;

    AuditLog(QSqlDatabase db, const Clock &clock);

    void record(const AuditActor &actor, const QString &action, const QString &subject,
        const QString &event = {}, const QJsonObject &details = {}) const;
    /// The statement record() runs, for a caller that sends it in a Batch
    /// with its own writes (one round trip instead of two).
    Sql::Statement entry(const AuditActor &actor, const QString &action, const QString &subject,
        const QString &event = {}, const QJsonObject &details = {}) const;
    /// For an order's entry: the event whose seats or places \a changes
    /// moved, so filtering by event finds the order's sale, refund or void.
    /// An order over several events names them in \a details as "events"
    /// and has no single event.
    static QString eventOf(const AvailabilityChanges &changes, QJsonObject *details);
    /// Entries with an id above \\a after, oldest first, at most \\a limit.
    Page read(qint64 after, int limit, const Filter &filter = {}) const;

private:
    QSqlDatabase m_db;
    const Clock &m_clock;
};

} // namespace Marquee
