#pragma once

#include "NoticeListener.h"

#include <QDateTime>
#include <QObject>
#include <memory>

namespace Marquee {

class ChannelHub;

/// Keeps several servers on one PostgreSQL database in step. Every server's
/// transactions NOTIFY what they changed as they commit (Transaction); the
/// relay LISTENs and hands what it hears to the channel hub, which applies
/// changes in version order per event (a server's own come back too and are
/// ignored as known). After the listening connection was lost and is back,
/// everything is read again, because what was committed meanwhile went
/// unheard.
class DatabaseRelay : public QObject
{
    Q_OBJECT

public:
    DatabaseRelay(const DatabaseConfig &config, ChannelHub &hub, ListenTiming timing = {},
        QObject *parent = nullptr);

    /// LISTENs before it returns: start it before reading the state the
    /// notices will change, and nothing falls in between.
    bool start(QString *error);

signals:
    /// Another server made a hold that expires at \a at.
    void expiryAnnounced(const QDateTime &at);
    /// Notices may have been missed: read every event again.
    void resyncNeeded();

private:
    void onNotice(const ChangeNotice &notice);

    ChannelHub &m_hub;
    NoticeListener m_listener;
};

} // namespace Marquee
