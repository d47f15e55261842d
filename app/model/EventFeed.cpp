#include "EventFeed.h"

#include "AvailabilityModel.h"
#include "net/EventChannel.h"

namespace Marquee {

EventFeed::EventFeed(EventChannel *channel, AvailabilityModel *model, QObject *parent)
    : QObject(parent)
    , m_channel(channel)
    , m_model(model)
{
    m_resyncWatchdog.setSingleShot(true);
    m_resyncWatchdog.setInterval(5'000);
    connect(&m_resyncWatchdog, &QTimer::timeout, this, [this] {
        // The resync request or its answer was lost; a fresh connection
        // always starts with a snapshot.
        if (m_model->isBehind())
            m_channel->reconnectNow();
    });
    connect(m_channel, &EventChannel::messageReceived, m_model,
        [this](const Protocol::ChannelMessage &message) {
            if (m_model->apply(message) == AvailabilityModel::ApplyResult::Applied
                && !m_model->isBehind())
                m_resyncWatchdog.stop();
        });
    connect(m_model, &AvailabilityModel::resyncNeeded, this, &EventFeed::onResyncNeeded);
}

void EventFeed::follow(const QString &event, EventKind kind, const QUrl &channelUrl)
{
    m_resyncWatchdog.stop();
    m_model->reset(event, kind);
    m_channel->open(channelUrl);
}

void EventFeed::stop()
{
    m_resyncWatchdog.stop();
    m_channel->close();
}

void EventFeed::onResyncNeeded()
{
    m_channel->requestResync();
    m_resyncWatchdog.start();
    emit resyncRequested();
}

} // namespace Marquee
