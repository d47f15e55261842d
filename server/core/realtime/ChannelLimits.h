#pragma once

#include <QtGlobal>

namespace Marquee {

/// Limits that keep one channel client from hurting the others. Part of
/// ServerOptions, so tests can make the intervals short.
struct ChannelLimits
{
    qint64 maxIncomingMessage = 4 * 1024;
    qint64 maxUnsentBytes = 1024 * 1024; ///< a client this far behind is dropped
    int pingIntervalMs = 30'000; ///< a client that has not answered the last ping is dropped
    int maxMessagesPerMinute = 60;
    /// Threads that write to subscribers (ChannelHub); below 1: one per
    /// core, at least 2 and at most 4.
    int senderThreads = 0;
};

} // namespace Marquee
