#include "RateLimiter.h"

#include <QElapsedTimer>
#include <cmath>

namespace Marquee {

namespace {
constexpr qsizetype PruneAbove = 10'000; ///< addresses remembered before forgetting idle ones
}

RateLimiter::RateLimiter(Rule rule, Clock now)
    : m_rule(rule)
    , m_now(std::move(now))
{
    if (!m_now) {
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        m_now = [timer] { return timer->elapsed(); };
    }
}

bool RateLimiter::allow(const QHostAddress &address)
{
    const qint64 now = m_now();
    if (m_buckets.size() > PruneAbove) {
        // Addresses whose bucket has filled up again carry no state worth
        // keeping; dropping them bounds the memory a spoofing flood can use.
        const qint64 refill = qint64(1000 * m_rule.burst / m_rule.perSecond);
        m_buckets.removeIf(
            [now, refill](const auto &entry) { return now - entry.value().updatedMs > refill; });
    }
    auto it = m_buckets.find(address);
    if (it == m_buckets.end())
        it = m_buckets.insert(address, Bucket{m_rule.burst, now});
    // A wall clock set back (the cart limit uses the server's clock) must
    // not take tokens away.
    const qint64 elapsed = std::max<qint64>(0, now - it->updatedMs);
    it->tokens = std::min(m_rule.burst, it->tokens + elapsed * m_rule.perSecond / 1000.0);
    it->updatedMs = std::max(now, it->updatedMs);
    if (it->tokens < 1)
        return false;
    it->tokens -= 1;
    return true;
}

int RateLimiter::retryAfter(const QHostAddress &address) const
{
    const auto it = m_buckets.constFind(address);
    if (it == m_buckets.cend())
        return 1;
    return std::max(1, int(std::ceil((1 - it->tokens) / m_rule.perSecond)));
}

} // namespace Marquee
