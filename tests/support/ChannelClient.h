#pragma once

#include "Protocol.h"

#include <QList>
#include <QObject>
#include <QWebSocket>

namespace Marquee::Test {

/// Subscribes to one event's channel over a real WebSocket and records every
/// decoded message, so a test can wait on what arrived.
class ChannelClient : public QObject
{
    Q_OBJECT

public:
    explicit ChannelClient(const QUrl &url, const QString &origin = {});

    QWebSocket &socket() { return m_socket; }
    const QList<Protocol::ChannelMessage> &messages() const { return m_messages; }
    int undecodable() const { return m_undecodable; }
    bool closed() const { return m_closed; }
    int closeCode() const { return m_closeCode; }

private:
    QWebSocket m_socket;
    QList<Protocol::ChannelMessage> m_messages;
    int m_undecodable = 0;
    bool m_closed = false;
    int m_closeCode = 0;
};

} // namespace Marquee::Test
