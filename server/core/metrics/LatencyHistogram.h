#pragma once

#include <QtGlobal>
#include <array>
#include <atomic>
#include <chrono>

namespace Marquee {

/// How long something took, counted into fixed buckets from 0.5 ms to 1 s
/// (and one for anything longer), for Prometheus. observe() is a few
/// relaxed atomic additions, no lock: the storage thread, sender threads and
/// the socket thread may all record into one histogram while the socket
/// thread renders it. A snapshot read during observe() may miss that one
/// observation's sum or bucket, never corrupt either.
class LatencyHistogram
{
public:
    /// Upper bounds (inclusive, Prometheus' "le") of the finite buckets.
    static constexpr std::array<qint64, 11> BoundsMicros{
        500, 1'000, 2'000, 5'000, 10'000, 25'000, 50'000, 100'000, 250'000, 500'000, 1'000'000};
    /// The finite buckets and the last one, +Inf.
    static constexpr int Buckets = int(BoundsMicros.size()) + 1;

    struct Snapshot
    {
        std::array<quint64, Buckets> perBucket{}; ///< not cumulative; the last is +Inf
        quint64 sumMicros = 0;

        /// Observations of at most the bound of \a bucket (Prometheus'
        /// cumulative bucket count).
        quint64 cumulative(int bucket) const;
        quint64 count() const { return cumulative(Buckets - 1); }
    };

    LatencyHistogram();
    LatencyHistogram(const LatencyHistogram &) = delete;
    LatencyHistogram &operator=(const LatencyHistogram &) = delete;

    /// Counts one duration; a negative one (a clock step) counts as zero.
    void observe(std::chrono::microseconds duration) noexcept;
    Snapshot snapshot() const noexcept;

    /// The bucket a duration falls into: the first whose bound is not below it.
    static int bucketOf(std::chrono::microseconds duration) noexcept;

private:
    static_assert(std::atomic<quint64>::is_always_lock_free);
    std::array<std::atomic<quint64>, Buckets> m_perBucket;
    std::atomic<quint64> m_sumMicros;
};

} // namespace Marquee
