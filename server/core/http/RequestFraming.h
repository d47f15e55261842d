#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace Marquee {

/// Judges how the requests of one connection are framed, from the raw bytes,
/// before Qt 6.4's HTTP parser sees them. That parser takes Content-Length
/// together with Transfer-Encoding, the first of two Content-Lengths, a
/// negative one as "no body", and "xchunked" as chunked: a reverse proxy that
/// reads the same bytes another way can then smuggle a request past it.
/// This is not a second HTTP parser: it reads each request head once its
/// blank line has arrived, judges only the request line and the headers that
/// frame a message (Content-Length, Transfer-Encoding, Connection, Expect,
/// Upgrade), and skips the body by its Content-Length to find the next head.
/// The API takes no chunked bodies, so any Transfer-Encoding is refused.
class RequestFraming
{
public:
    /// What the connection needs to know of one well-framed request.
    struct Head
    {
        quint64 index = 0; ///< 0 for the connection's first request
        qint64 contentLength = 0;
        bool closeAfter = false; ///< Connection: close, or HTTP/1.0 without keep-alive
        bool expectsContinue = false; ///< Expect: 100-continue with a body to come
    };
    struct Refusal
    {
        int status = 400;
        QByteArray reason; ///< status line text
        QByteArray code; ///< the JSON "error"
        QByteArray message;
    };

    explicit RequestFraming(qint64 maxRequestBytes);

    /// Takes the next bytes of the connection, in order. Appends the heads
    /// that were completed by them to \a heads; returns why the connection
    /// must be refused, if it must. After a refusal nothing more is judged.
    std::optional<Refusal> feed(QByteArrayView bytes, QList<Head> *heads);
    /// After a WebSocket upgrade head the rest is not HTTP: not judged.
    bool upgraded() const { return m_upgraded; }

private:
    std::optional<Refusal> judge(const QByteArray &head, Head *out);

    qint64 m_maxRequestBytes;
    QByteArray m_head; ///< the head so far
    qint64 m_bodyLeft = 0; ///< bytes of the current body still to skip
    quint64 m_requests = 0;
    bool m_upgraded = false;
    bool m_refused = false;
};

} // namespace Marquee
