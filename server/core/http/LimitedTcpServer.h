#pragma once

#include <QHash>
#include <QTcpServer>

class QTcpSocket;
class QTimer;

namespace Marquee {

/// The listening socket handed to the HTTP server. Qt 6.4's HTTP server
/// buffers any request body whole and has no timeouts, so this bounds what a
/// connection may send before it is answered and closes connections that
/// stall: a huge or slow request costs its sender, not everyone else.
class LimitedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    struct Limits
    {
        qint64 maxRequestBytes = 64 * 1024 + 16 * 1024; ///< body plus headers
        int idleTimeoutMs = 30'000;
        int lingerMs = 2'000; ///< how long a refused request may still send
    };

    explicit LimitedTcpServer(Limits limits, QObject *parent = nullptr);
    LimitedTcpServer(QObject *parent = nullptr)
        : LimitedTcpServer(Limits{}, parent)
    {
    }

    /// Stops watching a socket that became a WebSocket: it now belongs to the
    /// channel layer, which has limits of its own.
    void release(QTcpSocket *socket);

protected:
    void incomingConnection(qintptr handle) override;

private:
    struct Watch
    {
        qint64 unanswered = 0; ///< bytes received since the last response
        bool refused = false; ///< answered 413; the rest is discarded
        QTimer *idle = nullptr;
    };

    void onReadyRead(QTcpSocket *socket);
    void refuseTooLarge(QTcpSocket *socket);

    Limits m_limits;
    QHash<QTcpSocket *, Watch> m_watched;
};

} // namespace Marquee
