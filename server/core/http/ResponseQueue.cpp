#include "ResponseQueue.h"

#include <QTcpSocket>

namespace Marquee {

ResponseQueue::ResponseQueue(QTcpSocket *socket)
    : QObject(socket)
{
}

ResponseQueue *ResponseQueue::of(QTcpSocket *socket)
{
    if (auto *queue = socket->findChild<ResponseQueue *>(QString(), Qt::FindDirectChildrenOnly))
        return queue;
    return new ResponseQueue(socket);
}

void ResponseQueue::answer(quint64 place, Writer write)
{
    if (place != m_head) {
        m_waiting.emplace(place, std::move(write));
        return;
    }
    writeHead(write);
    // Answers that were ready and waiting only for this one.
    for (auto it = m_waiting.begin(); it != m_waiting.end() && it->first == m_head;
         it = m_waiting.erase(it))
        writeHead(it->second);
}

void ResponseQueue::writeHead(const Writer &write)
{
    const bool last = m_head == m_closeAfter;
    write();
    ++m_head;
    // Qt 6.4 keeps the connection open after an answer whatever the client
    // asked; disconnectFromHost() closes once the answer is sent.
    if (last) {
        if (auto *socket = qobject_cast<QTcpSocket *>(parent()))
            socket->disconnectFromHost();
    }
}

} // namespace Marquee
