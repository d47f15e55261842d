#include "FrameWriter.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <cerrno>
#include <sys/socket.h>
#include <sys/types.h>

namespace Marquee {

namespace {

/// What the kernel took of \a frame without waiting: 0 when its buffer is
/// full, and 0 on an error too, which QTcpSocket then meets and reports on
/// its own (errorOccurred, disconnected) when it writes the rest.
qsizetype sendNow(qintptr descriptor, const QByteArray &frame)
{
    ssize_t sent;
    do {
        sent = ::send(
            int(descriptor), frame.constData(), size_t(frame.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (sent < 0 && errno == EINTR);
    return sent > 0 ? qsizetype(sent) : 0;
}

} // namespace

FrameWriter::Outcome FrameWriter::write(QTcpSocket &tcp, const QByteArray &frame)
{
    if (tcp.state() != QAbstractSocket::ConnectedState)
        return Outcome::NotConnected;
    if (auto *tls = qobject_cast<QSslSocket *>(&tcp)) {
        tls->write(frame);
        tls->flush();
        return tls->bytesToWrite() == 0 && tls->encryptedBytesToWrite() == 0 ? Outcome::HandedOver
                                                                             : Outcome::Queued;
    }
    if (tcp.bytesToWrite() > 0) {
        tcp.write(frame); // behind what waits already: the order on the wire
        return Outcome::Queued;
    }
    const qsizetype sent = sendNow(tcp.socketDescriptor(), frame);
    if (sent == frame.size())
        return Outcome::HandedOver;
    tcp.write(frame.constData() + sent, frame.size() - sent);
    return Outcome::Queued;
}

} // namespace Marquee
