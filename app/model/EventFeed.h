#pragma once

#include "SeatState.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

namespace Marquee {

class AvailabilityModel;
class EventChannel;

/// Keeps an AvailabilityModel true from an EventChannel: every message goes
/// into the model, and when the model reports a version gap the feed asks the
/// channel for a snapshot (and reconnects if none comes), so the seat map
/// heals itself without the clerk doing anything.
class EventFeed : public QObject
{
    Q_OBJECT

public:
    EventFeed(EventChannel *channel, AvailabilityModel *model, QObject *parent = nullptr);

    /// Starts following \a event on \a channelUrl; the model is reset.
    void follow(const QString &event, EventKind kind, const QUrl &channelUrl);
    void stop();

    /// How long a requested snapshot may take before the feed reconnects.
    void setResyncTimeout(int milliseconds) { m_resyncWatchdog.setInterval(milliseconds); }

signals:
    /// Resyncs asked for so far; useful in the status bar and in tests.
    void resyncRequested();

private:
    void onResyncNeeded();

    EventChannel *m_channel;
    AvailabilityModel *m_model;
    QTimer m_resyncWatchdog;
};

} // namespace Marquee
