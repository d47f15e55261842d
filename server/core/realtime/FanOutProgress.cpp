#include "FanOutProgress.h"

namespace Marquee {

FanOutProgress::FanOutProgress(Clock::time_point start, int senders, Done done)
    : m_start(start)
    , m_pending(senders)
    , m_latest(start.time_since_epoch().count())
    , m_done(std::move(done))
{
}

void FanOutProgress::senderDone()
{
    // The senders finish in any order, and the last to count down need not
    // be the last that finished writing: the latest moment is kept apart.
    const Clock::rep now = Clock::now().time_since_epoch().count();
    Clock::rep latest = m_latest.load();
    while (now > latest && !m_latest.compare_exchange_weak(latest, now)) { }
    if (m_pending.fetch_sub(1) != 1)
        return;
    const auto end = Clock::time_point(Clock::duration(m_latest.load()));
    m_done(std::chrono::duration_cast<std::chrono::microseconds>(end - m_start));
}

} // namespace Marquee
