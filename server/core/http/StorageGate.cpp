#include "StorageGate.h"

#include "HttpReply.h"
#include "Storage.h"

namespace Marquee {

namespace {
/// A full queue drains in milliseconds to a few hundred of them; one second
/// is the shortest wait Retry-After can say.
constexpr int RetryAfterSeconds = 1;
} // namespace

StorageGate::StorageGate(const Storage &storage, int maxWaiting)
    : m_storage(storage)
    , m_maxWaiting(maxWaiting)
{
}

bool StorageGate::admit(HttpReply &reply) const
{
    if (m_maxWaiting <= 0 || m_storage.waiting() < m_maxWaiting)
        return true;
    reply.retryLater(503, QStringLiteral("unavailable_storage"),
        QStringLiteral("The server is busy; try again in a moment."), RetryAfterSeconds);
    return false;
}

} // namespace Marquee
