#include "ChannelClient.h"

namespace Marquee::Test {

ChannelClient::ChannelClient(const QUrl &url, const QString &origin)
    : m_socket(origin)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        if (auto message = Protocol::decodeChannelMessage(text.toUtf8()))
            m_messages.append(*message);
        else
            ++m_undecodable;
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_closed = true;
        m_closeCode = int(m_socket.closeCode());
    });
    m_socket.open(url);
}

} // namespace Marquee::Test
