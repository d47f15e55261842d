#pragma once

#include <QByteArray>
#include <QList>
#include <QSslSocket>

namespace Marquee::Test {

/// A WebSocket client written by hand on a QTcpSocket, for what QWebSocket
/// does by itself and a test must not: it sends exactly the handshake the
/// test asks for (a browser's Origin), shows the server's answer to it even
/// when that is a refusal, never answers a ping, and can stop reading
/// altogether, with a small kernel receive buffer, like a stalled client.
class RawWebSocket
{
public:
    struct Frame
    {
        int opcode = 0; ///< 1 text, 8 close, 9 ping, 10 pong
        QByteArray payload;
    };

    /// The key of RFC 6455's example: 16 bytes in base64.
    static constexpr const char *sampleKey = "dGhlIHNhbXBsZSBub25jZQ==";

    /// Connects and sends the upgrade for \a path on 127.0.0.1:\a port.
    /// \a receiveBuffer > 0 sets SO_RCVBUF before connecting. \a tls: over
    /// TLS (wss), trusting whatever certificate the server shows.
    RawWebSocket(quint16 port, const QString &path, const QByteArray &origin = {},
        int receiveBuffer = 0, const QByteArray &key = sampleKey, bool tls = false);

    QTcpSocket &socket() { return m_socket; }
    /// Waits until the server's answer to the upgrade has arrived (or the
    /// connection ended); its status, 0 if none came.
    int waitForHandshake(int timeoutMs = 5000);
    const QByteArray &handshake() const { return m_handshake; }
    /// Everything received after the handshake's head (for a refusal: its body).
    const QByteArray &rest() const { return m_buffer; }

    /// One masked text frame, as a client must send it.
    void sendText(const QByteArray &text) { sendFrame(1, text); }
    /// One frame with \a opcode (9: ping) and a payload under 126 bytes;
    /// unmasked only to test that the server refuses it.
    void sendFrame(int opcode, const QByteArray &payload, bool masked = true);
    /// From now on nothing more is read: the server's data piles up.
    void stopReading();
    /// Reads again, from what waited in Qt's buffer and the kernel's.
    void resumeReading();

    const QList<Frame> &frames() const { return m_frames; }
    /// The close code the server sent, 0 until a close frame came.
    int closeCode() const;

private:
    void onReadyRead();
    void parseFrames();

    QSslSocket m_socket; ///< unencrypted unless tls: a plain TCP socket then
    QByteArray m_buffer;
    QByteArray m_handshake;
    QList<Frame> m_frames;
    bool m_reading = true;
};

} // namespace Marquee::Test
