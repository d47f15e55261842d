#pragma once

#include <QObject>
#include <algorithm>
#include <functional>
#include <limits>
#include <map>

class QTcpSocket;

namespace Marquee {

/// The answers of one connection, written in the order of their requests.
/// HTTP/1.1 lets a client send requests before the earlier ones are
/// answered (pipelining), and requires the answers in request order; ours
/// take different paths (memory, static files, a storage job on another
/// thread), so a quick answer would overtake a slow one. Each request takes
/// a place when it arrives; an answer goes out once every answer before it
/// has. A child of its socket, so it lives exactly as long as the connection.
class ResponseQueue : public QObject
{
    Q_OBJECT

public:
    using Writer = std::function<void()>;

    /// The queue of \a socket, made on first use.
    static ResponseQueue *of(QTcpSocket *socket);

    /// The next place in line, in the order requests arrive.
    quint64 take() { return m_next++; }
    /// \a write sends the answer for \a place; called now if it is that
    /// answer's turn, else once the answers before it are out.
    void answer(quint64 place, Writer write);

    /// The client asked to close the connection with the request at
    /// \a place (Connection: close, or HTTP/1.0): once its answer is
    /// written the connection is closed, and later requests are not run.
    void closeAfter(quint64 place) { m_closeAfter = std::min(m_closeAfter, place); }
    bool closesAfter(quint64 place) const { return place == m_closeAfter; }
    /// False once the request that closes the connection has taken its place.
    bool takesMore() const { return m_next <= m_closeAfter; }
    /// Answers written so far.
    quint64 answered() const { return m_head; }
    /// Every request so far is answered.
    bool idle() const { return m_head == m_next; }

private:
    explicit ResponseQueue(QTcpSocket *socket);
    void writeHead(const Writer &write);

    quint64 m_next = 0; ///< the place the next request gets
    quint64 m_head = 0; ///< the place whose answer goes out next
    std::map<quint64, Writer> m_waiting; ///< answers that came early
    quint64 m_closeAfter = std::numeric_limits<quint64>::max();
};

} // namespace Marquee
