#include "OriginPolicy.h"

#include <QHostAddress>
#include <QUrl>

namespace Marquee {

OriginPolicy::OriginPolicy(const QStringList &allowedOrigins)
{
    for (const QString &text : allowedOrigins) {
        if (const auto origin = parse(text)) {
            m_allowed.append(*origin);
            m_allowedHosts.append(origin->host);
        }
    }
}

std::optional<OriginPolicy::Origin> OriginPolicy::parse(const QString &text)
{
    // An origin is scheme://host[:port] and nothing else; "null" (sandboxed
    // frames, files) and anything with a path are no origin of ours.
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || !url.path().isEmpty() || url.hasQuery()
        || !url.userInfo().isEmpty() || (scheme != u"http" && scheme != u"https"))
        return std::nullopt;
    return Origin{scheme, url.host().toLower(), url.port(scheme == u"https" ? 443 : 80)};
}

bool OriginPolicy::hostAllowed(const QByteArray &hostHeader) const
{
    if (hostHeader.isEmpty())
        return true; // HTTP/1.0 tools; browsers always send one
    // "name:port", "1.2.3.4:port" or "[::1]:port"
    const QUrl url(QStringLiteral("http://") + QString::fromLatin1(hostHeader));
    const QString host = url.host().toLower();
    if (host.isEmpty())
        return false;
    if (!QHostAddress(host).isNull() || host == QLatin1String("localhost"))
        return true;
    return m_allowedHosts.contains(host);
}

bool OriginPolicy::originAllowed(
    const QByteArray &origin, const QString &scheme, const QByteArray &hostHeader) const
{
    if (origin.isEmpty())
        return true;
    const auto from = parse(QString::fromLatin1(origin));
    if (!from)
        return false;
    if (!hostHeader.isEmpty()) {
        const auto own = parse(scheme + QStringLiteral("://") + QString::fromLatin1(hostHeader));
        if (own && *own == *from)
            return true;
    }
    return m_allowed.contains(*from);
}

} // namespace Marquee
