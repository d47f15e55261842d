#pragma once

#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <memory>

class QTcpSocket;

namespace Marquee {

/// Open connections per client address. Shared by the listening socket and
/// the slots of its connections, which may outlive it: a WebSocket keeps
/// its TCP socket after the HTTP side let go of it, on a sender thread of
/// the channel hub, where it also goes; hence the lock.
class AddressCounts
{
public:
    /// Counts one more connection from \a address unless it has \a max.
    bool tryTake(const QHostAddress &address, int max);
    void giveBack(const QHostAddress &address);
    int open(const QHostAddress &address) const;

private:
    mutable QMutex m_mutex;
    QHash<QHostAddress, int> m_open;
};

/// One open connection's place in its address's count, given back when the
/// last owner lets go of it.
class AddressSlot
{
public:
    AddressSlot(std::shared_ptr<AddressCounts> counts, QHostAddress address);
    ~AddressSlot();
    AddressSlot(const AddressSlot &) = delete;
    AddressSlot &operator=(const AddressSlot &) = delete;

private:
    std::shared_ptr<AddressCounts> m_counts;
    QHostAddress m_address;
};

/// A connection's AddressSlot, owned by its socket: the place is given back
/// when the socket is destroyed, however that happens. Not a signal
/// connection on purpose — releasing a socket to the channel layer and Qt's
/// WebSocket upgrade both disconnect the socket's signals, which used to
/// keep every channel's place taken for good.
class ConnectionSlot : public QObject
{
    Q_OBJECT

public:
    ConnectionSlot(std::shared_ptr<AddressCounts> counts, QHostAddress address, QTcpSocket *socket);
    /// Takes the place away from \a socket, for whatever carries its
    /// connection on once the socket is gone (a channel taken over, see
    /// PlainLink); null if the connection is not counted.
    static std::shared_ptr<AddressSlot> takeFrom(QTcpSocket *socket);

private:
    std::shared_ptr<AddressSlot> m_slot;
};

} // namespace Marquee
