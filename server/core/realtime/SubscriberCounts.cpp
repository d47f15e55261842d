#include "SubscriberCounts.h"

namespace Marquee {

void SubscriberCounts::add(const QString &event)
{
    const QMutexLocker lock(&m_mutex);
    ++m_counts[event];
}

void SubscriberCounts::remove(const QString &event)
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_counts.find(event);
    if (it != m_counts.end() && --it.value() <= 0)
        m_counts.erase(it);
}

int SubscriberCounts::count(const QString &event) const
{
    const QMutexLocker lock(&m_mutex);
    return m_counts.value(event);
}

} // namespace Marquee
