#pragma once

namespace Marquee {

class HttpReply;
class Storage;

/// Keeps the storage queue bounded: a request that would post a job while
/// \c maxWaiting jobs already wait is answered 503 at once, with a
/// Retry-After, instead of joining a queue whose every member would then
/// wait longer. Jobs the server posts itself (expiry, reloads) are not
/// refused; requests are, before they post anything.
class StorageGate
{
public:
    StorageGate(const Storage &storage, int maxWaiting);

    /// True when the request may go on; otherwise it has been answered.
    bool admit(HttpReply &reply) const;

private:
    const Storage &m_storage;
    int m_maxWaiting;
};

} // namespace Marquee
