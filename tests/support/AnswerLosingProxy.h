#pragma once

#include <QByteArray>
#include <QObject>
#include <QTcpServer>

class QTcpSocket;

namespace Marquee::Test {

/// Forwards loopback TCP to a server, but cuts the connection instead of
/// passing on the answers to the first \a toLose requests whose bytes
/// contain \a request ("POST /api/v1/checkin"): the change is made, the
/// client never hears so. (Qt's network access resends a request once by
/// itself when a connection closes before the answer, so losing one answer
/// is not enough to reach an app's own retry.)
class AnswerLosingProxy : public QObject
{
public:
    AnswerLosingProxy(quint16 target, int toLose, QByteArray request);

    quint16 port() const { return m_server.serverPort(); }
    int lost() const { return m_lost; }

private:
    void relay(QTcpSocket *client);

    quint16 m_target;
    int m_toLose;
    QByteArray m_request;
    QTcpServer m_server;
    int m_lost = 0;
};

} // namespace Marquee::Test
