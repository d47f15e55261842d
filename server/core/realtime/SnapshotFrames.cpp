#include "SnapshotFrames.h"

#include "AvailabilityStore.h"
#include "WebSocketFrame.h"

namespace Marquee {

QByteArray SnapshotFrames::frame(const AvailabilityStore &store, const QString &event)
{
    const QByteArray json = store.encodedSnapshot(event);
    if (json.isEmpty()) {
        m_frames.remove(event);
        return {};
    }
    // The store encodes once per version; a frame made from those very bytes
    // is current, one made from any others is not.
    Cached &cached = m_frames[event];
    if (!cached.json.isSharedWith(json)) {
        cached.json = json;
        cached.frame = WebSocketFrame::text(json);
    }
    return cached.frame;
}

} // namespace Marquee
