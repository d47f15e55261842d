#include "ConnectionIndicator.h"

#include <QHBoxLayout>
#include <QLabel>

namespace Marquee {

ConnectionIndicator::ConnectionIndicator(EventChannel *channel, QWidget *parent)
    : QWidget(parent)
    , m_channel(channel)
    , m_dot(new QLabel(this))
    , m_text(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 0, 6, 0);
    layout->setSpacing(6);
    layout->addWidget(m_dot);
    layout->addWidget(m_text);
    m_dot->setFixedSize(10, 10);
    // The countdown only needs to tick while a retry is pending.
    m_countdown.setInterval(250);
    connect(&m_countdown, &QTimer::timeout, this, &ConnectionIndicator::refresh);
    connect(m_channel, &EventChannel::stateChanged, this, &ConnectionIndicator::refresh);
    refresh();
}

QString ConnectionIndicator::text() const
{
    return m_text->text();
}

void ConnectionIndicator::refresh()
{
    QString colour;
    QString text;
    switch (m_channel->state()) {
    case EventChannel::State::Idle:
        colour = QStringLiteral("#9ca3af");
        text = m_channel->lastError().isEmpty()
            ? tr("Not connected")
            : tr("Not connected: %1").arg(m_channel->lastError());
        break;
    case EventChannel::State::Connecting:
        colour = QStringLiteral("#f59e0b");
        text = tr("Connecting…");
        break;
    case EventChannel::State::Live:
        colour = QStringLiteral("#16a34a");
        text = tr("Live");
        break;
    case EventChannel::State::Reconnecting: {
        colour = QStringLiteral("#dc2626");
        const int seconds = (m_channel->millisecondsUntilRetry() + 999) / 1000;
        text = seconds > 0 ? tr("Reconnecting in %1 s…").arg(seconds) : tr("Reconnecting…");
        break;
    }
    }
    if (m_channel->state() == EventChannel::State::Reconnecting)
        m_countdown.start();
    else
        m_countdown.stop();
    m_dot->setStyleSheet(QStringLiteral("background:%1; border-radius:5px;").arg(colour));
    m_text->setText(text);
    m_text->setToolTip(m_channel->state() == EventChannel::State::Live
            ? tr("Seat states arrive live from %1").arg(m_channel->url().toDisplayString())
            : m_channel->lastError());
}

} // namespace Marquee
