#pragma once

#include "net/EventChannel.h"

#include <QTimer>
#include <QWidget>

class QLabel;

namespace Marquee {

/// The status-bar light for the live channel: "Connecting…", "Live" or
/// "Reconnecting in 4 s…", with a coloured dot so the state reads at a glance.
class ConnectionIndicator : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionIndicator(EventChannel *channel, QWidget *parent = nullptr);

    QString text() const;

private:
    void refresh();

    EventChannel *m_channel;
    QLabel *m_dot;
    QLabel *m_text;
    QTimer m_countdown;
};

} // namespace Marquee
