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
    write();
    ++m_head;
    // Answers that were ready and waiting only for this one.
    for (auto it = m_waiting.begin(); it != m_waiting.end() && it->first == m_head;
         it = m_waiting.erase(it)) {
        it->second();
        ++m_head;
    }
}

} // namespace Marquee
