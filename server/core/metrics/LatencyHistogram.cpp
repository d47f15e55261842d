#include "LatencyHistogram.h"

#include <algorithm>

namespace Marquee {

quint64 LatencyHistogram::Snapshot::cumulative(int bucket) const
{
    quint64 total = 0;
    for (int i = 0; i <= bucket && i < Buckets; ++i)
        total += perBucket[size_t(i)];
    return total;
}

LatencyHistogram::LatencyHistogram()
{
    for (std::atomic<quint64> &count : m_perBucket)
        count.store(0, std::memory_order_relaxed);
    m_sumMicros.store(0, std::memory_order_relaxed);
}

int LatencyHistogram::bucketOf(std::chrono::microseconds duration) noexcept
{
    const qint64 micros = std::max<qint64>(0, duration.count());
    return int(
        std::lower_bound(BoundsMicros.begin(), BoundsMicros.end(), micros) - BoundsMicros.begin());
}

void LatencyHistogram::observe(std::chrono::microseconds duration) noexcept
{
    const qint64 micros = std::max<qint64>(0, duration.count());
    m_perBucket[size_t(bucketOf(duration))].fetch_add(1, std::memory_order_relaxed);
    m_sumMicros.fetch_add(quint64(micros), std::memory_order_relaxed);
}

LatencyHistogram::Snapshot LatencyHistogram::snapshot() const noexcept
{
    // The count is the sum of the buckets read here, not a counter of its
    // own: so +Inf always equals _count, however observations interleave.
    Snapshot snapshot;
    for (int i = 0; i < Buckets; ++i)
        snapshot.perBucket[size_t(i)] = m_perBucket[size_t(i)].load(std::memory_order_relaxed);
    snapshot.sumMicros = m_sumMicros.load(std::memory_order_relaxed);
    return snapshot;
}

} // namespace Marquee
