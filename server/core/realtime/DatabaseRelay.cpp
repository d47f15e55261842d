#include "DatabaseRelay.h"

#include "ChannelHub.h"

namespace Marquee {

DatabaseRelay::DatabaseRelay(
    const DatabaseConfig &config, ChannelHub &hub, ListenTiming timing, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_listener(config, timing)
{
    connect(&m_listener, &NoticeListener::notice, this, &DatabaseRelay::onNotice);
    connect(&m_listener, &NoticeListener::reconnected, this, &DatabaseRelay::resyncNeeded);
}

bool DatabaseRelay::start(QString *error)
{
    return m_listener.start(error);
}

void DatabaseRelay::onNotice(const ChangeNotice &notice)
{
    m_hub.receive(notice.changes);
    for (const QString &event : notice.reload)
        emit m_hub.reloadNeeded(event);
    if (notice.expiry)
        emit expiryAnnounced(*notice.expiry);
}

} // namespace Marquee
