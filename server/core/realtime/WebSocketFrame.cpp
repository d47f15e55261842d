#include "WebSocketFrame.h"

#include <QtEndian>

namespace Marquee {

namespace {
constexpr int OpText = 0x1;
constexpr int OpClose = 0x8;
constexpr int OpPing = 0x9;
constexpr int OpPong = 0xA;
constexpr int Final = 0x80;
constexpr int Length16 = 126;
constexpr int Length64 = 127;
constexpr int CloseNoCode = 1005;
constexpr qsizetype MaxControlPayload = 125;
} // namespace

QByteArray WebSocketFrame::frame(int opcode, QByteArrayView payload)
{
    const quint64 size = quint64(payload.size());
    QByteArray frame;
    frame.reserve(payload.size() + 10);
    frame.append(char(Final | opcode));
    if (size < Length16) {
        frame.append(char(size));
    } else if (size <= 0xffff) {
        frame.append(char(Length16));
        char length[2];
        qToBigEndian(quint16(size), length);
        frame.append(length, 2);
    } else {
        frame.append(char(Length64));
        char length[8];
        qToBigEndian(size, length);
        frame.append(length, 8);
    }
    frame.append(payload);
    return frame;
}

QByteArray WebSocketFrame::text(QByteArrayView payload)
{
    return frame(OpText, payload);
}

QByteArray WebSocketFrame::ping()
{
    return frame(OpPing, {});
}

QByteArray WebSocketFrame::pong(QByteArrayView payload)
{
    return frame(OpPong, payload.first(std::min(payload.size(), MaxControlPayload)));
}

QByteArray WebSocketFrame::close(int code, const QString &reason)
{
    if (code == CloseNoCode)
        return frame(OpClose, {});
    char body[2];
    qToBigEndian(quint16(code), body);
    // The reason is cut to what a control frame holds, on a character
    // boundary, so it stays valid UTF-8.
    QByteArray payload(body, 2);
    for (const QChar c : reason) {
        const QByteArray bytes = QString(c).toUtf8();
        if (payload.size() + bytes.size() > MaxControlPayload)
            break;
        payload.append(bytes);
    }
    return frame(OpClose, payload);
}

QByteArrayView WebSocketFrame::payload(const QByteArray &frame)
{
    if (frame.size() < 2)
        return {};
    const int length = quint8(frame.at(1)) & 0x7f;
    const qsizetype header = length == Length16 ? 4 : length == Length64 ? 10 : 2;
    return QByteArrayView(frame).sliced(std::min(header, frame.size()));
}

} // namespace Marquee
