#include "AnswerLosingProxy.h"

#include <QTcpSocket>
#include <memory>

namespace Marquee::Test {

AnswerLosingProxy::AnswerLosingProxy(quint16 target, int toLose, QByteArray request)
    : m_target(target)
    , m_toLose(toLose)
    , m_request(std::move(request))
{
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *client = m_server.nextPendingConnection())
            relay(client);
    });
}

void AnswerLosingProxy::relay(QTcpSocket *client)
{
    auto *upstream = new QTcpSocket(client);
    auto dropAnswer = std::make_shared<bool>(false);
    upstream->connectToHost(QHostAddress::LocalHost, m_target);
    connect(client, &QTcpSocket::readyRead, upstream, [this, client, upstream, dropAnswer] {
        const QByteArray data = client->readAll();
        if (m_lost < m_toLose && data.contains(m_request))
            *dropAnswer = true;
        upstream->write(data);
    });
    connect(upstream, &QTcpSocket::readyRead, client, [this, client, upstream, dropAnswer] {
        const QByteArray data = upstream->readAll();
        if (!*dropAnswer)
            return void(client->write(data));
        // The request went through; its answer never arrives.
        ++m_lost;
        client->abort();
        client->deleteLater();
    });
    connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
}

} // namespace Marquee::Test
