#include "RequestFraming.h"

#include <algorithm>

namespace Marquee {

namespace {

using Refusal = RequestFraming::Refusal;

Refusal badRequest(const QByteArray &message)
{
    return {400, QByteArrayLiteral("Bad Request"), QByteArrayLiteral("bad_request"), message};
}

Refusal tooLarge()
{
    return {413, QByteArrayLiteral("Payload Too Large"), QByteArrayLiteral("too_large"),
        QByteArrayLiteral("The request is too large.")};
}

bool isTokenChar(char c)
{
    static const QByteArrayView specials = "!#$%&'*+-.^_`|~";
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || specials.contains(c);
}

bool isToken(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isTokenChar);
}

/// A request-target as sent: visible ASCII only.
bool isVisible(QByteArrayView text)
{
    return !text.isEmpty()
        && std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

/// Lowercased, trimmed elements of a comma-separated header value.
QList<QByteArray> tokens(const QByteArray &value)
{
    QList<QByteArray> out;
    for (const QByteArray &part : value.split(','))
        out.append(part.trimmed().toLower());
    return out;
}

/// The headers that frame a message, as read from one head.
struct FramingHeaders
{
    int contentLengths = 0;
    QByteArray contentLength;
    bool transferEncoding = false;
    QList<QByteArray> connection;
    QByteArray expect;
    QByteArray upgrade;
};

std::optional<Refusal> readHeader(QByteArrayView line, FramingHeaders *headers)
{
    // A line that starts with white space continues the one before (obsolete
    // folding); RFC 9112 lets a server refuse it, and a proxy may not fold.
    if (line.startsWith(' ') || line.startsWith('\t'))
        return badRequest(QByteArrayLiteral("Folded header lines are not accepted."));
    const qsizetype colon = line.indexOf(':');
    // No white space before the colon: "Content-Length : 5" is read as
    // another header by some and as Content-Length by others.
    if (colon <= 0 || !isToken(line.first(colon)))
        return badRequest(QByteArrayLiteral("A header line is malformed."));
    const QByteArray name = line.first(colon).toByteArray().toLower();
    const QByteArray value = line.sliced(colon + 1).toByteArray().trimmed();
    if (value.contains('\0'))
        return badRequest(QByteArrayLiteral("A header value holds a NUL byte."));
    if (name == "content-length") {
        ++headers->contentLengths;
        headers->contentLength = value;
    } else if (name == "transfer-encoding") {
        headers->transferEncoding = true;
    } else if (name == "connection") {
        headers->connection += tokens(value);
    } else if (name == "expect") {
        headers->expect = value.toLower();
    } else if (name == "upgrade") {
        headers->upgrade = value.toLower();
    }
    return std::nullopt;
}

/// "METHOD target HTTP/1.x"; \a http10 tells which.
std::optional<Refusal> readRequestLine(QByteArrayView line, bool *http10)
{
    const QList<QByteArray> parts = line.toByteArray().split(' ');
    if (parts.size() != 3 || !isToken(parts.at(0)) || !isVisible(parts.at(1)))
        return badRequest(QByteArrayLiteral("The request line is malformed."));
    if (parts.at(2) != "HTTP/1.1" && parts.at(2) != "HTTP/1.0")
        return badRequest(QByteArrayLiteral("Only HTTP/1.1 and HTTP/1.0 are spoken here."));
    // Qt's parser takes what follows a CONNECT as a tunnel, not as requests.
    if (parts.at(0) == "CONNECT")
        return badRequest(QByteArrayLiteral("CONNECT is not spoken here."));
    *http10 = parts.at(2) == "HTTP/1.0";
    // Qt decodes %2F before routing, so "/events/a%2Fb" would be routed as
    // two segments, unlike what a proxy in front checked. No path of the API
    // has a slash inside a segment: refused.
    const QByteArray &target = parts.at(1);
    const qsizetype query = target.indexOf('?');
    const QByteArray path = query < 0 ? target : target.left(query);
    if (path.contains("%2f") || path.contains("%2F") || path.contains("%00"))
        return badRequest(QByteArrayLiteral("Encoded slashes and NUL bytes are not accepted "
                                            "in the path."));
    return std::nullopt;
}

} // namespace

RequestFraming::RequestFraming(qint64 maxRequestBytes)
    : m_maxRequestBytes(maxRequestBytes)
{
}

std::optional<Refusal> RequestFraming::feed(QByteArrayView bytes, QList<Head> *heads)
{
    QByteArray rest; // what followed a complete head; \a bytes may view it
    while (!m_refused && !m_upgraded && !bytes.isEmpty()) {
        if (m_bodyLeft > 0) {
            const qint64 skip = std::min<qint64>(m_bodyLeft, bytes.size());
            m_bodyLeft -= skip;
            bytes = bytes.sliced(skip);
            continue;
        }
        if (m_head.isEmpty()) {
            // Empty lines before a request line are allowed (RFC 9112 2.2).
            qsizetype blank = 0;
            while (blank < bytes.size() && (bytes.at(blank) == '\r' || bytes.at(blank) == '\n'))
                ++blank;
            bytes = bytes.sliced(blank);
            if (bytes.isEmpty())
                break;
        }
        const qsizetype checkedUpTo = std::max<qsizetype>(0, m_head.size() - 1);
        m_head.append(bytes.data(), bytes.size());
        bytes = {};
        const qsizetype end = m_head.indexOf("\r\n\r\n", std::max<qsizetype>(0, checkedUpTo - 3));
        // A bare LF ends a line for Qt's parser but not for a strict proxy:
        // refused as soon as it arrives, before Qt could act on such a head.
        // Only up to the head's blank line: what follows is a body (a JSON
        // body may hold a bare LF) or the next request, judged in its turn,
        // so the verdict does not depend on how TCP cut the bytes.
        const qsizetype headEnd = end < 0 ? m_head.size() : end + 4;
        for (qsizetype i = checkedUpTo; i < headEnd; ++i) {
            const char c = m_head.at(i);
            const bool bareLf = c == '\n' && (i == 0 || m_head.at(i - 1) != '\r');
            const bool bareCr = c == '\r' && i + 1 < m_head.size() && m_head.at(i + 1) != '\n';
            if (bareLf || bareCr) {
                m_refused = true;
                return badRequest(QByteArrayLiteral("Lines must end in CR LF."));
            }
        }
        if (end < 0) {
            if (m_head.size() > m_maxRequestBytes) {
                m_refused = true;
                return tooLarge();
            }
            break;
        }
        rest = m_head.mid(end + 4);
        const QByteArray head = m_head.left(end);
        m_head.clear();
        Head judged;
        judged.index = m_requests++;
        if (auto refusal = judge(head, &judged)) {
            m_refused = true;
            return refusal;
        }
        heads->append(judged);
        m_bodyLeft = judged.contentLength;
        bytes = rest;
    }
    return std::nullopt;
}

std::optional<Refusal> RequestFraming::judge(const QByteArray &head, Head *out)
{
    qsizetype lineEnd = head.indexOf("\r\n");
    bool http10 = false;
    if (auto refusal
        = readRequestLine(QByteArrayView(head).first(lineEnd < 0 ? head.size() : lineEnd), &http10))
        return refusal;
    FramingHeaders headers;
    while (lineEnd >= 0) {
        const qsizetype start = lineEnd + 2;
        lineEnd = head.indexOf("\r\n", start);
        const QByteArrayView line
            = QByteArrayView(head).sliced(start, (lineEnd < 0 ? head.size() : lineEnd) - start);
        if (auto refusal = readHeader(line, &headers))
            return refusal;
    }

    if (headers.transferEncoding)
        return badRequest(QByteArrayLiteral("Transfer-Encoding is not accepted; send the body "
                                            "with a Content-Length."));
    if (headers.contentLengths > 1)
        return badRequest(QByteArrayLiteral("More than one Content-Length."));
    if (headers.contentLengths == 1) {
        const QByteArray &value = headers.contentLength;
        // Digits only: no sign, no white space inside, no hex; and few
        // enough that they cannot overflow.
        if (value.isEmpty() || value.size() > 18
            || !std::all_of(
                value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return badRequest(QByteArrayLiteral("The Content-Length is not a number of bytes."));
        out->contentLength = value.toLongLong();
    }
    // The head with its blank line, and the body: the same sum that refuses
    // a head still arriving once it has passed the limit, so a request is
    // too large however its bytes were cut.
    if (head.size() + 4 + out->contentLength > m_maxRequestBytes)
        return tooLarge();
    if (!headers.upgrade.isEmpty() && headers.connection.contains("upgrade")) {
        if (headers.upgrade != "websocket")
            return badRequest(QByteArrayLiteral("Only WebSocket upgrades are spoken here."));
        if (out->contentLength > 0)
            return badRequest(QByteArrayLiteral("An upgrade request has no body."));
        m_upgraded = true;
    }
    if (!headers.expect.isEmpty()) {
        if (headers.expect != "100-continue")
            return Refusal{417, QByteArrayLiteral("Expectation Failed"),
                QByteArrayLiteral("expectation_failed"),
                QByteArrayLiteral("Only Expect: 100-continue is understood.")};
        out->expectsContinue = out->contentLength > 0;
    }
    out->closeAfter = headers.connection.contains("close")
        || (http10 && !headers.connection.contains("keep-alive"));
    return std::nullopt;
}

} // namespace Marquee
