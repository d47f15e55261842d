#pragma once

#include <QHash>
#include <QHostAddress>
#include <functional>

namespace Marquee {

/// A token bucket per client address: each request takes a token, tokens
/// come back at a steady rate up to a burst. Keeps one client from filling
/// the database with carts and holds while everyone else is served.
class RateLimiter
{
public:
    struct Rule
    {
        double perSecond = 20;
        double burst = 60;
    };
    using Clock = std::function<qint64()>; ///< milliseconds, monotonic

    explicit RateLimiter(Rule rule, Clock now = {});

    /// Takes a token for \a address; false when it has none left.
    bool allow(const QHostAddress &address);
    /// Seconds until \a address has a token again (at least 1).
    int retryAfter(const QHostAddress &address) const;

private:
    struct Bucket
    {
        double tokens = 0;
        qint64 updatedMs = 0;
    };

    Rule m_rule;
    Clock m_now;
    QHash<QHostAddress, Bucket> m_buckets;
};

} // namespace Marquee
