#pragma once

#include "MaskedFrames.h"

#include <QObject>
#include <QPointer>

class QTcpSocket;
class QWebSocket;

namespace Marquee {

/// Watches the TCP connection under one channel's QWebSocket for what
/// QWebSocket itself lets through: unmasked client frames (see
/// MaskedFrames), and unsent bytes the client causes rather than the hub —
/// Qt answers every ping with a pong at once, so a client that floods pings
/// and never reads grows the server's write buffer without end, and the
/// hub's own check (before each message it sends) never runs.
///
/// Why the raw bytes can be watched here: QWebSocket 6.4 reads its socket in
/// a slot connected directly to readyRead before this one could be, so this
/// slot runs right after it, in the same emission. The socket is kept in a
/// transaction between two emissions: what QWebSocket read stays in the
/// buffer, and this slot rolls back, judges every byte that arrived since it
/// last ran, and drops what QWebSocket had read. Nothing depends on when or
/// how much QWebSocket reads. The hub takes messages through queued
/// connections, so a message from an unmasked frame is dropped with its
/// client before it is handled.
class ChannelGuard : public QObject
{
    Q_OBJECT

public:
    /// A child of \a socket; \a tcp is the connection it was upgraded from.
    ChannelGuard(QWebSocket *socket, QTcpSocket *tcp, qint64 maxUnsentBytes);
    /// Bytes queued on \a tcp and not yet handed to the kernel; with TLS
    /// also those encrypted already, which QSslSocket::bytesToWrite() leaves out.
    static qint64 unsentBytes(const QTcpSocket &tcp);
    /// Judges what is buffered already and watches from now on. False: what
    /// the client sent behind its upgrade is refused already (nothing is
    /// signalled then). While the handshake is still being read, the start
    /// waits for the event loop, and a refusal then comes as unmaskedFrame().
    bool start();
    /// Whether an unmasked frame was seen (by start() or later).
    bool refused() const { return m_refused; }

signals:
    void unmaskedFrame();
    void tooMuchUnsent();

private:
    void onReadyRead();
    void refuse();
    void startLater();

    QPointer<QTcpSocket> m_tcp;
    MaskedFrames m_frames;
    qint64 m_judged = 0; ///< the buffer's first bytes, judged and not yet read by QWebSocket
    qint64 m_maxUnsentBytes;
    bool m_refused = false;
};

} // namespace Marquee
