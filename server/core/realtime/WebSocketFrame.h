#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace Marquee {

/// A server's WebSocket frames as they go on the wire (RFC 6455 5.2): a
/// server never masks, so one encoded frame is the same bytes for every
/// subscriber and is built once per message, not once per client.
class WebSocketFrame
{
public:
    /// One final text frame carrying \a payload (UTF-8 JSON here).
    static QByteArray text(QByteArrayView payload);
    static QByteArray ping();
    /// The answer to a ping carrying \a payload (at most 125 bytes).
    static QByteArray pong(QByteArrayView payload);
    /// A close frame; \a code 1005 ("none given") sends none.
    static QByteArray close(int code, const QString &reason);
    /// The payload of a frame made here.
    static QByteArrayView payload(const QByteArray &frame);

private:
    static QByteArray frame(int opcode, QByteArrayView payload);
};

} // namespace Marquee
