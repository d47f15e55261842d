#pragma once

#include <QHash>
#include <QMutex>
#include <QString>

namespace Marquee {

/// Subscribers per event, for every thread: the hub counts a socket in when
/// it takes it, the sender thread that serves it counts it out when it lets
/// it go, and anyone may read (limits, tests, metrics).
class SubscriberCounts
{
public:
    void add(const QString &event);
    void remove(const QString &event);
    int count(const QString &event) const;

private:
    mutable QMutex m_mutex;
    QHash<QString, int> m_counts;
};

} // namespace Marquee
