#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Marquee {

/// Follows the frames a WebSocket client sends, from the raw bytes, and
/// tells whether each is masked. RFC 6455 5.1: a server must close the
/// connection (1002) on an unmasked client frame; Qt 6.4's QWebSocket
/// processes it instead. Reads only frame headers and skips payloads by
/// their length; what a frame means stays QWebSocket's business.
class MaskedFrames
{
public:
    /// Takes the next bytes of the connection, in order; false as soon as
    /// a frame without the mask bit has begun. Nothing is judged after that.
    bool feed(QByteArrayView bytes);

private:
    QByteArray m_header; ///< of the current frame, until it is whole
    quint64 m_payloadLeft = 0;
    bool m_unmasked = false;
};

} // namespace Marquee
