#pragma once

#include <QByteArray>

class QTcpSocket;

namespace Marquee {

/// Hands one encoded frame to one subscriber's connection, as cheaply as the
/// connection allows. A profile of the fan-out (tests/bench/RESULTS.md)
/// showed a quarter of the socket thread in Qt's bookkeeping around each
/// write: QTcpSocket only buffers, turns on a write notifier, and writes on
/// the next pass of the event loop, after a poll over every socket. So when
/// nothing is queued in Qt for the connection, the frame goes to the kernel
/// right here, with one send(); what the kernel does not take, and every
/// frame behind a backlog, goes through QTcpSocket's buffer as before, so
/// the order on the wire and the backlog limits (ChannelGuard::unsentBytes)
/// are unchanged. TLS connections go through QSslSocket (it encrypts), and
/// are flushed at once for the same reason.
class FrameWriter
{
public:
    enum class Outcome
    {
        HandedOver, ///< all of it is with the kernel
        Queued, ///< some or all waits in Qt's buffer, behind earlier frames
        NotConnected, ///< closing or gone: nothing written
    };

    static Outcome write(QTcpSocket &tcp, const QByteArray &frame);
};

} // namespace Marquee
