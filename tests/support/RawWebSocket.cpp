#include "RawWebSocket.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QRandomGenerator>
#include <QTimer>
#include <QtEndian>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Marquee::Test {

namespace {

/// A connected descriptor with the receive buffer set before the handshake
/// of TCP, so the window it advertises is small from the start.
int connectedDescriptor(quint16 port, int receiveBuffer)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (receiveBuffer > 0)
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // Loopback: the kernel completes this before the server accepts.
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

RawWebSocket::RawWebSocket(quint16 port, const QString &path, const QByteArray &origin,
    int receiveBuffer, const QByteArray &key, bool tls)
{
    QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this] { onReadyRead(); });
    m_socket.setSocketDescriptor(connectedDescriptor(port, receiveBuffer));
    if (tls) {
        m_socket.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_socket.startClientEncryption(); // what is written below waits for it
    }
    QByteArray request = "GET " + path.toUtf8()
        + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
        + "\r\nSec-WebSocket-Version: 13\r\n";
    if (!origin.isEmpty())
        request += "Origin: " + origin + "\r\n";
    m_socket.write(request + "\r\n");
}

void RawWebSocket::onReadyRead()
{
    if (!m_reading)
        return;
    m_buffer += m_socket.readAll();
    if (m_handshake.isEmpty()) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        m_handshake = m_buffer.left(end + 4);
        m_buffer.remove(0, end + 4);
        if (!m_handshake.startsWith("HTTP/1.1 101"))
            return; // a refusal: its body stays in rest()
    }
    parseFrames();
}

void RawWebSocket::parseFrames()
{
    // Server frames are never masked; our messages are small (no 64-bit lengths).
    for (;;) {
        if (m_buffer.size() < 2)
            return;
        const auto byte = [this](int i) { return quint8(m_buffer.at(i)); };
        qsizetype length = byte(1) & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (m_buffer.size() < 4)
                return;
            length = (byte(2) << 8) | byte(3);
            header = 4;
        }
        if (m_buffer.size() < header + length)
            return;
        m_frames.append(Frame{byte(0) & 0x0f, m_buffer.mid(header, length)});
        m_buffer.remove(0, header + length);
    }
}

int RawWebSocket::waitForHandshake(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (m_handshake.isEmpty() && !deadline.hasExpired()
        && m_socket.state() == QAbstractSocket::ConnectedState) {
        QEventLoop loop;
        QObject::connect(
            &m_socket, &QTcpSocket::readyRead, &loop, &QEventLoop::quit, Qt::QueuedConnection);
        QObject::connect(&m_socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
        QTimer::singleShot(std::max<qint64>(1, deadline.remainingTime()), &loop, &QEventLoop::quit);
        loop.exec();
    }
    const QList<QByteArray> status = m_handshake.left(m_handshake.indexOf('\r')).split(' ');
    return status.size() > 1 ? status.at(1).toInt() : 0;
}

void RawWebSocket::sendFrame(int opcode, const QByteArray &payload, bool masked)
{
    Q_ASSERT(payload.size() < 126);
    QByteArray frame;
    frame.append(char(0x80 | opcode)); // FIN
    frame.append(char((masked ? 0x80 : 0) | payload.size()));
    if (!masked) {
        m_socket.write(frame + payload);
        return;
    }
    const quint32 mask = QRandomGenerator::global()->generate();
    char key[4];
    qToBigEndian(mask, key);
    frame.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload.at(i) ^ key[i % 4]));
    m_socket.write(frame);
}

void RawWebSocket::stopReading()
{
    m_reading = false;
    // Qt stops taking data from the kernel once its own buffer is full.
    m_socket.setReadBufferSize(1);
}

void RawWebSocket::resumeReading()
{
    m_reading = true;
    m_socket.setReadBufferSize(0);
    onReadyRead(); // what Qt took meanwhile
}

int RawWebSocket::closeCode() const
{
    for (const Frame &frame : m_frames) {
        if (frame.opcode == 8 && frame.payload.size() >= 2)
            return (quint8(frame.payload.at(0)) << 8) | quint8(frame.payload.at(1));
    }
    return 0;
}

} // namespace Marquee::Test
