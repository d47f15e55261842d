#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

namespace Marquee {

/// One subscriber's connection as its sender thread uses it: frames out;
/// messages, pongs, the end and misbehaviour in. Two kinds: PlainLink (plain
/// TCP, taken over from Qt after the handshake) and WebSocketLink (a
/// QWebSocket, for TLS). Lives on its sender thread.
class SubscriberLink : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    /// On the sender's thread, once it holds the link: starts reading.
    virtual void start() = 0;
    /// Connected, and not closing.
    virtual bool isOpen() const = 0;
    /// Bytes written that the kernel has not taken yet (what a slow client
    /// lets pile up in the server).
    virtual qint64 unsent() const = 0;
    /// Writes one encoded frame (see WebSocketFrame, FrameWriter).
    virtual void send(const QByteArray &frame) = 0;
    virtual void ping() = 0;
    /// Tells the client \a code and \a reason, then closes.
    virtual void close(int code, const QString &reason) = 0;
    /// Closes at once, without a word (for a client far behind: a close
    /// frame would wait behind everything it has not read).
    virtual void abort() = 0;
    /// Its sender is done with it: deletes it, at once or (a link that is
    /// closing) once the client has had the time to read why.
    virtual void finish() { deleteLater(); }

signals:
    /// A whole message; \a binary ones carry no text.
    void messageReceived(const QString &text, bool binary);
    void pongReceived();
    /// The connection ended, or the client closed it.
    void gone();
    /// The client broke the protocol (the link closed with \a closeCode) or
    /// let too much pile up (the link aborted); it is closed already, also
    /// when this comes before the link is adopted.
    void misbehaved(int closeCode, const QString &reason);
};

} // namespace Marquee
