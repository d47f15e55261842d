#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace Marquee {

/// Which web pages may use this server from a visitor's browser, judged by
/// the Origin and Host headers that browsers send and pages cannot forge.
/// Browsers let any page open a WebSocket to any server, so a channel
/// upgrade from a page on another site must be refused by the server itself;
/// and a hostile site whose name was rebound to this server's address sends
/// its own name as Host (DNS rebinding).
class OriginPolicy
{
public:
    /// \a allowedOrigins: origins besides the server's own (--allow-origin).
    explicit OriginPolicy(const QStringList &allowedOrigins = {});

    /// IP literals and localhost cannot be rebound; other names must belong
    /// to an allowed origin. An empty Host (HTTP/1.0 tools) is allowed.
    bool hostAllowed(const QByteArray &hostHeader) const;
    /// \a origin is a browser's Origin header (empty for native clients,
    /// which are allowed). It must equal the server's own origin — \a scheme
    /// of the connection and the Host the browser asked for, port included —
    /// or one of the allowed origins: scheme, host and port all compared.
    bool originAllowed(
        const QByteArray &origin, const QString &scheme, const QByteArray &hostHeader) const;

private:
    struct Origin
    {
        QString scheme;
        QString host;
        int port = -1;
        bool operator==(const Origin &other) const
        {
            return scheme == other.scheme && host == other.host && port == other.port;
        }
    };
    static std::optional<Origin> parse(const QString &origin);

    QList<Origin> m_allowed;
    QStringList m_allowedHosts;
};

} // namespace Marquee
