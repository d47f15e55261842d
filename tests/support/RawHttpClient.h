#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpSocket>

namespace Marquee::Test {

/// One HTTP/1.1 connection driven byte by byte, for what QNetworkAccessManager
/// hides: pipelined requests, hand-written headers, refusals before an
/// upgrade. It parses the answers in the order they arrive, so a test sees
/// exactly what the server wrote.
class RawHttpClient
{
public:
    struct Response
    {
        int status = 0;
        QByteArray head; ///< status line and headers
        QByteArray body;
        QByteArray header(const QByteArray &name) const;
    };

    /// Starts connecting; send() may be called at once.
    explicit RawHttpClient(quint16 port);
    bool waitForConnected(int timeoutMs = 5000);

    QTcpSocket &socket() { return m_socket; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void send(const QByteArray &bytes);
    /// "GET path HTTP/1.1" with a Host header and \a extraHeaders (each ending in CRLF).
    static QByteArray get(const QString &path, quint16 port, const QByteArray &extraHeaders = {});

    /// Waits (spinning the event loop) until \a count answers have arrived.
    bool waitForResponses(int count, int timeoutMs = 10'000);
    const QList<Response> &responses() const { return m_responses; }

private:
    void parse();

    QTcpSocket m_socket;
    QByteArray m_buffer;
    QList<Response> m_responses;
};

} // namespace Marquee::Test
