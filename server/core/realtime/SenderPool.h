#pragma once

#include "ChannelLimits.h"

#include <QList>

#include <memory>
#include <vector>

class QThread;

namespace Marquee {

class ChannelSender;
class SubscriberCounts;

/// The sender threads, each running the event loop of one ChannelSender.
/// Made with the hub and stopped before it goes: every subscriber is closed
/// and deleted on its own thread, then each sender, back on the hub's thread.
class SenderPool
{
public:
    /// \a threads < 1: one per core, at least 2 and at most 4.
    SenderPool(int threads, const ChannelLimits &limits, SubscriberCounts &counts);
    ~SenderPool();
    SenderPool(const SenderPool &) = delete;
    SenderPool &operator=(const SenderPool &) = delete;

    int size() const { return int(m_workers.size()); }
    ChannelSender &sender(int i) { return *m_workers.at(size_t(i)).sender; }
    const ChannelSender &sender(int i) const { return *m_workers.at(size_t(i)).sender; }
    QThread *thread(int i) const { return m_workers.at(size_t(i)).thread.get(); }
    /// The one with the fewest subscribers, for a new subscriber.
    ChannelSender &leastLoaded();
    /// Closes every subscriber and ends the threads; idempotent.
    void stop();

private:
    struct Worker
    {
        std::unique_ptr<QThread> thread;
        std::unique_ptr<ChannelSender> sender;
    };
    std::vector<Worker> m_workers;
};

} // namespace Marquee
