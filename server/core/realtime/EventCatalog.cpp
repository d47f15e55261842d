#include "EventCatalog.h"

namespace Marquee {

void EventCatalog::load(QList<EventInfo> events)
{
    m_events = std::move(events);
    ++m_generation;
    m_bySlug.clear();
    for (qsizetype i = 0; i < m_events.size(); ++i)
        m_bySlug.insert(m_events.at(i).slug, i);
}

const EventInfo *EventCatalog::find(const QString &slug) const
{
    const auto it = m_bySlug.constFind(slug);
    return it == m_bySlug.cend() ? nullptr : &m_events.at(*it);
}

} // namespace Marquee
