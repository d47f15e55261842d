#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace Marquee {

/// Reads what a WebSocket client sends, frame by frame, from the raw bytes
/// (RFC 6455 5), strictly: every frame masked, no reserved bits (no
/// extension is ever agreed), known opcodes only, control frames whole and
/// at most 125 bytes, fragments in order, a message at most maxMessage
/// bytes, text valid UTF-8, close codes valid. The first breach ends the
/// reading with the close code to answer it with. Holds at most one frame
/// header and one message, so a client cannot make it buffer more.
class ClientFrames
{
public:
    struct Message
    {
        enum class Type
        {
            Text,
            Binary,
            Ping,
            Pong,
            Close,
        };
        Type type;
        QByteArray payload; ///< unmasked; for Close the reason
        int closeCode = 0; ///< Close: the client's code, 1005 when it gave none
    };

    explicit ClientFrames(qint64 maxMessage);

    /// Takes the next bytes of the connection, in order, and returns the
    /// messages they complete. After a breach (see failed()) or a Close,
    /// nothing more is read.
    QList<Message> feed(QByteArrayView bytes);
    /// The close code a breach is answered with (1002 protocol, 1007 bad
    /// text, 1009 too big), 0 while there is none.
    int failed() const { return m_failure; }
    /// Why, for the close frame.
    QByteArray failure() const { return m_reason; }

private:
    bool headerDone();
    void finishFrame(QList<Message> *messages);
    void fail(int code, const char *reason);

    qint64 m_maxMessage;
    QByteArray m_header; ///< of the current frame, until it is whole
    quint64 m_payloadLeft = 0;
    bool m_inFrame = false;
    char m_mask[4] = {};
    quint64 m_maskOffset = 0;
    int m_opcode = 0;
    bool m_final = false;
    QByteArray m_frame; ///< the current frame's payload so far
    QByteArray m_message; ///< a fragmented data message so far
    int m_messageOpcode = 0; ///< its first frame's opcode; 0: none open
    int m_failure = 0;
    QByteArray m_reason;
    bool m_closed = false;
};

} // namespace Marquee
