#pragma once

#include <atomic>
#include <chrono>
#include <functional>

namespace Marquee {

/// One announced change on its way through the sender threads, for the
/// fan-out observer (ChannelHub::setFanOutObserver): when the last sender
/// thread has handed the frame to each of its subscribers, the time from
/// the change's publish()/receive() to the latest of those moments is
/// reported, once. Shared by the sender threads; thread-safe.
class FanOutProgress
{
public:
    using Clock = std::chrono::steady_clock;
    using Done = std::function<void(std::chrono::microseconds)>;

    /// \a done runs on the thread of the last sender to finish.
    FanOutProgress(Clock::time_point start, int senders, Done done);

    /// A sender thread is through with all of its subscribers.
    void senderDone();

private:
    const Clock::time_point m_start;
    std::atomic<int> m_pending;
    std::atomic<Clock::rep> m_latest;
    Done m_done;
};

} // namespace Marquee
