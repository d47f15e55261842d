#pragma once

#include <QSemaphore>
#include <memory>

namespace Marquee {
class Storage;
}

namespace Marquee::Test {

/// Holds the server's storage thread inside one job until release() (or
/// destruction), so a test can show which requests are answered without
/// the storage thread and which wait for it. No clock, no sleeping: the
/// job waits on a semaphore the test releases.
class StorageBlock
{
public:
    /// Posts the blocking job; waitUntilBlocked() says when it runs.
    explicit StorageBlock(Storage &storage);
    ~StorageBlock() { release(); }
    StorageBlock(const StorageBlock &) = delete;
    StorageBlock &operator=(const StorageBlock &) = delete;

    /// True once the storage thread is inside the job.
    bool waitUntilBlocked(int timeoutMs = 5000);
    void release();

private:
    std::shared_ptr<QSemaphore> m_started = std::make_shared<QSemaphore>();
    std::shared_ptr<QSemaphore> m_gate = std::make_shared<QSemaphore>();
    bool m_released = false;
};

} // namespace Marquee::Test
