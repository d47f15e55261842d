#pragma once

#include "AvailabilityChange.h"
#include "SeatState.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace Marquee {

struct PriceCategory
{
    qint64 id = 0;
    QString code;
    QString name;
    qint64 price = 0; ///< minor units of the event's currency
    QString color;
};

struct EventInfo
{
    qint64 id = 0;
    QString slug;
    QString name;
    EventKind kind = EventKind::Seated;
    QString startsAt;
    QString timeZone; ///< the venue's, IANA ("Europe/Berlin"): times are shown in it
    QString venue;
    QString currency;
    int capacity = 0;
    QList<PriceCategory> categories;
    QByteArray planSvg; ///< seated events, in catalog() only
};

/// Reads events, their price categories, plans and availability. Writes
/// nothing but the version counter that every committed change bumps.
class EventRepository
{
public:
    explicit EventRepository(QSqlDatabase db);

    QList<EventInfo> list() const;
    /// With price categories.
    std::optional<EventInfo> find(const QString &slug) const;
    std::optional<QByteArray> planSvg(const QString &slug) const;
    /// Every event with its price categories and plan, read in one
    /// snapshot: what the public event routes serve from memory.
    QList<EventInfo> catalog() const;

    /// Every event's full availability with its version (or only the event
    /// \a slug's): the realtime layer's starting point.
    AvailabilityChanges loadAvailability(const QString &slug = {}) const;

private:
    QList<PriceCategory> categories(qint64 eventId) const;

    QSqlDatabase m_db;
};

} // namespace Marquee
