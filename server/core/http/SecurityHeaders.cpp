#include "SecurityHeaders.h"

namespace Marquee::SecurityHeaders {

const QList<Header> &all()
{
    // 'self' in connect-src covers ws: and wss: to the page's own host and
    // port (CSP level 3), so channels from other hosts stay forbidden.
    static const QList<Header> headers{
        {QByteArrayLiteral("Content-Security-Policy"),
            QByteArrayLiteral("default-src 'self'; script-src 'self'; style-src 'self'; "
                              "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                              "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")},
        {QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")},
        {QByteArrayLiteral("Referrer-Policy"), QByteArrayLiteral("no-referrer")},
        {QByteArrayLiteral("X-Frame-Options"), QByteArrayLiteral("DENY")},
    };
    return headers;
}

const QByteArray &raw()
{
    static const QByteArray lines = [] {
        QByteArray out;
        for (const Header &header : all())
            out += header.first + ": " + header.second + "\r\n";
        return out;
    }();
    return lines;
}

} // namespace Marquee::SecurityHeaders
