#pragma once

#include "EventRepository.h"

#include <QHash>
#include <QList>

namespace Marquee {

/// The public event list, each event's details and its floor plan, in
/// memory on the server's thread. Pages ask for these on every load, and
/// they change only through migrations, demo seeding and (to come) manager
/// endpoints; answered from here, a page load never queues behind holds on
/// the storage thread. Replaced whole from EventRepository::catalog() at
/// start and whenever an event may have changed (MarqueeServer::refreshCatalog).
class EventCatalog
{
public:
    void load(QList<EventInfo> events);

    /// In the order of EventRepository::list().
    const QList<EventInfo> &events() const { return m_events; }
    /// Null for an unknown event.
    const EventInfo *find(const QString &slug) const;
    /// Counts the loads: what was derived from an older one is stale.
    quint64 generation() const { return m_generation; }

private:
    QList<EventInfo> m_events;
    QHash<QString, qsizetype> m_bySlug;
    quint64 m_generation = 0;
};

} // namespace Marquee
