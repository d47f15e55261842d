#include "StorageBlock.h"

#include "Storage.h"

namespace Marquee::Test {

StorageBlock::StorageBlock(Storage &storage)
{
    storage.run<bool>(
        [started = m_started, gate = m_gate](StorageSession &) {
            started->release();
            gate->acquire();
            return true;
        },
        [](std::optional<bool>, const QString &) {});
}

bool StorageBlock::waitUntilBlocked(int timeoutMs)
{
    // The storage thread runs on its own: blocking this one does not stop it.
    return m_started->tryAcquire(1, timeoutMs);
}

void StorageBlock::release()
{
    if (m_released)
        return;
    m_released = true;
    m_gate->release();
}

} // namespace Marquee::Test
