#include "ClientFrames.h"

#include <QStringDecoder>
#include <QtEndian>

#include <algorithm>

namespace Marquee {

namespace {

constexpr int OpContinuation = 0x0;
constexpr int OpText = 0x1;
constexpr int OpBinary = 0x2;
constexpr int OpClose = 0x8;
constexpr int OpPing = 0x9;
constexpr int OpPong = 0xA;

constexpr int CloseProtocolError = 1002;
constexpr int CloseBadData = 1007;
constexpr int CloseTooBig = 1009;
constexpr int CloseNoCode = 1005;

/// 2, 4 or 10 bytes of length plus the 4 of the mask, once the first two are known.
qsizetype headerSize(const QByteArray &header)
{
    const int length = quint8(header.at(1)) & 0x7f;
    return (length == 126 ? 4 : length == 127 ? 10 : 2) + 4;
}

bool validUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    Q_UNUSED(text);
    return !decoder.hasError();
}

/// RFC 6455 7.4: codes a peer may send in a close frame.
bool validCloseCode(int code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011)
        || (code >= 3000 && code <= 4999);
}

} // namespace

ClientFrames::ClientFrames(qint64 maxMessage)
    : m_maxMessage(maxMessage)
{
}

QList<ClientFrames::Message> ClientFrames::feed(QByteArrayView bytes)
{
    QList<Message> messages;
    while (!bytes.isEmpty() && !m_failure && !m_closed) {
        if (!m_inFrame) {
            const qsizetype wanted = m_header.size() < 2 ? 2 : headerSize(m_header);
            const qsizetype take = std::min(wanted - m_header.size(), bytes.size());
            m_header.append(bytes.first(take));
            bytes = bytes.sliced(take);
            if (m_header.size() == 2 && !headerDone())
                break; // refused on its first two bytes
            if (m_header.size() < 2 || m_header.size() < headerSize(m_header))
                continue;
            if (!headerDone())
                break;
            if (m_payloadLeft == 0)
                finishFrame(&messages);
            continue;
        }
        const qsizetype take = qsizetype(std::min<quint64>(m_payloadLeft, quint64(bytes.size())));
        const qsizetype start = m_frame.size();
        m_frame.append(bytes.first(take));
        for (qsizetype i = start; i < m_frame.size(); ++i)
            m_frame[i] = char(m_frame[i] ^ m_mask[(m_maskOffset++) % 4]);
        bytes = bytes.sliced(take);
        m_payloadLeft -= quint64(take);
        if (m_payloadLeft == 0)
            finishFrame(&messages);
    }
    return messages;
}

bool ClientFrames::headerDone()
{
    const quint8 first = quint8(m_header.at(0));
    const quint8 second = quint8(m_header.at(1));
    m_final = first & 0x80;
    m_opcode = first & 0x0f;
    const bool control = m_opcode & 0x8;
    if (first & 0x70) {
        fail(CloseProtocolError, "reserved bits set");
        return false;
    }
    if (!(second & 0x80)) {
        fail(CloseProtocolError, "unmasked frame");
        return false;
    }
    if (m_opcode != OpContinuation && m_opcode != OpText && m_opcode != OpBinary
        && m_opcode != OpClose && m_opcode != OpPing && m_opcode != OpPong) {
        fail(CloseProtocolError, "unknown opcode");
        return false;
    }
    if (control && (!m_final || (second & 0x7f) > 125)) {
        fail(CloseProtocolError, "control frame fragmented or too long");
        return false;
    }
    if (m_opcode == OpContinuation && !m_messageOpcode) {
        fail(CloseProtocolError, "continuation without a message");
        return false;
    }
    if ((m_opcode == OpText || m_opcode == OpBinary) && m_messageOpcode) {
        fail(CloseProtocolError, "new message inside a fragmented one");
        return false;
    }
    if (m_header.size() < headerSize(m_header))
        return true; // the length and mask follow
    const int length = second & 0x7f;
    const auto *extended = reinterpret_cast<const uchar *>(m_header.constData() + 2);
    const quint64 payload = length == 126 ? qFromBigEndian<quint16>(extended)
        : length == 127                   ? qFromBigEndian<quint64>(extended)
                                          : quint64(length);
    if (payload >> 63) {
        fail(CloseProtocolError, "length with its top bit set"); // RFC 6455 5.2
        return false;
    }
    // Refused before a byte of it is buffered; the message so far is never
    // above the limit, so the subtraction cannot wrap (the sum could).
    if (!control && payload > quint64(m_maxMessage) - quint64(m_message.size())) {
        fail(CloseTooBig, "message too big");
        return false;
    }
    std::copy_n(m_header.constData() + m_header.size() - 4, 4, m_mask);
    m_maskOffset = 0;
    m_payloadLeft = payload;
    m_inFrame = true;
    m_frame.clear();
    return true;
}

void ClientFrames::finishFrame(QList<Message> *messages)
{
    m_inFrame = false;
    m_header.clear();
    const QByteArray payload = std::exchange(m_frame, {});
    switch (m_opcode) {
    case OpPing:
        messages->append({Message::Type::Ping, payload});
        return;
    case OpPong:
        messages->append({Message::Type::Pong, payload});
        return;
    case OpClose: {
        m_closed = true;
        if (payload.size() == 1) {
            m_closed = false;
            fail(CloseProtocolError, "close frame of one byte");
            return;
        }
        int code = CloseNoCode;
        if (payload.size() >= 2) {
            code = qFromBigEndian<quint16>(reinterpret_cast<const uchar *>(payload.constData()));
            if (!validCloseCode(code) || !validUtf8(QByteArrayView(payload).sliced(2))) {
                m_closed = false;
                fail(CloseProtocolError, "invalid close frame");
                return;
            }
        }
        messages->append({Message::Type::Close, payload.mid(2), code});
        return;
    }
    default:
        break;
    }
    if (m_opcode != OpContinuation)
        m_messageOpcode = m_opcode;
    m_message.append(payload);
    if (!m_final)
        return;
    const bool text = m_messageOpcode == OpText;
    m_messageOpcode = 0;
    QByteArray message = std::exchange(m_message, {});
    if (text && !validUtf8(message)) {
        fail(CloseBadData, "text is not UTF-8");
        return;
    }
    messages->append({text ? Message::Type::Text : Message::Type::Binary, std::move(message)});
}

void ClientFrames::fail(int code, const char *reason)
{
    m_failure = code;
    m_reason = reason;
    m_header.clear();
    m_frame.clear();
    m_message.clear();
}

} // namespace Marquee
