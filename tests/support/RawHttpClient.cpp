#include "RawHttpClient.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>

namespace Marquee::Test {

QByteArray RawHttpClient::Response::header(const QByteArray &name) const
{
    const QList<QByteArray> lines = head.split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

RawHttpClient::RawHttpClient(quint16 port)
{
    QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this] {
        m_buffer += m_socket.readAll();
        parse();
    });
    m_socket.connectToHost(QHostAddress::LocalHost, port);
}

bool RawHttpClient::waitForConnected(int timeoutMs)
{
    // Spinning the event loop, not blocking in the socket: the server runs
    // in this thread and must accept the connection meanwhile.
    const QDeadlineTimer deadline(timeoutMs);
    while (m_socket.state() != QAbstractSocket::ConnectedState && !deadline.hasExpired()
        && m_socket.state() != QAbstractSocket::UnconnectedState) {
        QEventLoop loop;
        QObject::connect(&m_socket, &QTcpSocket::stateChanged, &loop, &QEventLoop::quit);
        QTimer::singleShot(std::max<qint64>(1, deadline.remainingTime()), &loop, &QEventLoop::quit);
        loop.exec();
    }
    return isConnected();
}

void RawHttpClient::send(const QByteArray &bytes)
{
    m_socket.write(bytes);
}

QByteArray RawHttpClient::get(const QString &path, quint16 port, const QByteArray &extraHeaders)
{
    return "GET " + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
        + "\r\n" + extraHeaders + "\r\n";
}

void RawHttpClient::parse()
{
    for (;;) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        Response response;
        response.head = m_buffer.left(end);
        // A head without headers ("HTTP/1.1 100 Continue") has no CR in it.
        const qsizetype lineEnd = response.head.indexOf('\r');
        const QList<QByteArray> statusLine
            = (lineEnd < 0 ? response.head : response.head.left(lineEnd)).split(' ');
        response.status = statusLine.size() > 1 ? statusLine.at(1).toInt() : -1;
        const qsizetype length = response.header("content-length").toLongLong();
        if (m_buffer.size() < end + 4 + length)
            return;
        response.body = m_buffer.mid(end + 4, length);
        m_buffer.remove(0, end + 4 + length);
        m_responses.append(response);
    }
}

bool RawHttpClient::waitForResponses(int count, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (m_responses.size() < count && !deadline.hasExpired()) {
        QEventLoop loop;
        QObject::connect(
            &m_socket, &QTcpSocket::readyRead, &loop, &QEventLoop::quit, Qt::QueuedConnection);
        QObject::connect(&m_socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
        QTimer::singleShot(std::max<qint64>(1, deadline.remainingTime()), &loop, &QEventLoop::quit);
        loop.exec();
        if (m_socket.state() != QAbstractSocket::ConnectedState && m_socket.bytesAvailable() == 0)
            break;
    }
    return m_responses.size() >= count;
}

} // namespace Marquee::Test
