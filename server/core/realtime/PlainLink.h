#pragma once

#include "ClientFrames.h"
#include "SubscriberLink.h"

#include <QTcpSocket>

#include <memory>
#include <optional>

class QWebSocket;

namespace Marquee {

class AddressSlot;
struct ChannelLimits;

/// A subscriber on a plain TCP connection that the channel took over from
/// Qt once the handshake was done. Why: a QWebSocket with its QTcpSocket
/// costs about 20 KiB of memory per idle subscriber in Qt 6.4 — some 11 KiB
/// of objects, and two buffers that QTcpSocket allocates at the first read
/// and write (16 and 32 KiB) and keeps for good, of which the first page
/// each is touched (tests/bench/RESULTS.md, "Memory per idle subscriber"). Here
/// the connection has a fresh QTcpSocket of its own, which holds no buffer
/// while nothing waits; what the client sends is read strictly by
/// ClientFrames; frames go out through FrameWriter.
class PlainLink : public SubscriberLink
{
    Q_OBJECT

public:
    /// The connection, once Qt let go of it.
    struct Handoff
    {
        int descriptor = -1;
        QByteArray pending; ///< what the client sent already, unread
        std::shared_ptr<AddressSlot> slot; ///< its place in its address's count
    };

    /// On \a socket's thread, right after the upgrade, while its connection
    /// \a tcp is kept from signalling: takes the connection (a duplicate of
    /// its descriptor) and deletes both, without a word to the client.
    /// Nothing is done, and nullopt returned, where that cannot be done
    /// safely: TLS, or bytes of the handshake still waiting to go out.
    static std::optional<Handoff> takeOver(QWebSocket *socket, QTcpSocket *tcp);

    /// On the sender's thread.
    PlainLink(Handoff handoff, const ChannelLimits &limits);

    void start() override;
    bool isOpen() const override;
    qint64 unsent() const override { return m_tcp.bytesToWrite(); }
    void send(const QByteArray &frame) override;
    void ping() override;
    void close(int code, const QString &reason) override;
    void abort() override;
    void finish() override;

    /// How long a closing link keeps reading (and dropping) what the client
    /// still sends, waiting for it to close its side.
    static constexpr int LingerMs = 2000;

private:
    void shutdownWrites();
    void onReadyRead();
    void consume(QByteArrayView bytes);
    /// False once the connection is being closed.
    bool handle(const ClientFrames::Message &message);

    QTcpSocket m_tcp;
    QByteArray m_pending;
    std::shared_ptr<AddressSlot> m_slot;
    ClientFrames m_frames;
    qint64 m_maxUnsent;
    bool m_closing = false;
};

} // namespace Marquee
