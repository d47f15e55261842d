#pragma once

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <memory>

class QTcpSocket;

namespace Marquee {

/// Open connections per client address. Shared by the listening socket and
/// the slots of its connections, which may outlive it: a WebSocket keeps
/// its TCP socket after the HTTP side let go of it.
class AddressCounts
{
public:
    /// Counts one more connection from \a address unless it has \a max.
    bool tryTake(const QHostAddress &address, int max);
    void giveBack(const QHostAddress &address);
    int open(const QHostAddress &address) const { return m_open.value(address); }

private:
    QHash<QHostAddress, int> m_open;
};

/// One connection's place in its address's count, owned by the socket: it
/// gives the place back when the socket is destroyed, however that happens.
/// Not a signal connection on purpose — releasing a socket to the channel
/// layer and Qt's WebSocket upgrade both disconnect the socket's signals,
/// which used to keep every channel's place taken for good.
class ConnectionSlot : public QObject
{
    Q_OBJECT

public:
    ConnectionSlot(std::shared_ptr<AddressCounts> counts, QHostAddress address, QTcpSocket *socket);
    ~ConnectionSlot() override;

private:
    std::shared_ptr<AddressCounts> m_counts;
    QHostAddress m_address;
};

} // namespace Marquee
