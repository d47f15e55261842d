#pragma once

#include "SubscriberLink.h"

#include <QPointer>

class QTcpSocket;
class QWebSocket;

namespace Marquee {

class ChannelGuard;

/// A subscriber on a QWebSocket: the TLS connections (their encryption is
/// QSslSocket's), and any connection PlainLink cannot take over. Frames go
/// straight to the connection under the socket (FrameWriter); what the
/// client sends is QWebSocket's to read, watched by a ChannelGuard.
class WebSocketLink : public SubscriberLink
{
    Q_OBJECT

public:
    /// Takes \a socket (it becomes a child); \a tcp is its connection, kept
    /// from signalling until start() (see ChannelHub::accept), and \a guard
    /// watches it. Made on the hub's thread, then moved.
    WebSocketLink(QWebSocket *socket, QTcpSocket *tcp, ChannelGuard *guard);

    void start() override;
    bool isOpen() const override;
    qint64 unsent() const override;
    void send(const QByteArray &frame) override;
    void ping() override;
    void close(int code, const QString &reason) override;
    void abort() override;

private:
    QWebSocket *m_socket;
    /// QWebSocket never deletes it, and Qt's WebSocket server may.
    QPointer<QTcpSocket> m_tcp;
};

} // namespace Marquee
