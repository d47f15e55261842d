#include "ServerSettings.h"

#include <QSettings>

namespace Marquee {

namespace {
const auto ServerKey = QStringLiteral("server/address");
/// Where versions before sign-in kept a staff token in clear; removed on start.
const auto LegacyTokenKey = QStringLiteral("server/staffToken");
const auto UserKey = QStringLiteral("server/lastUser");
const auto GeometryKey = QStringLiteral("window/geometry");
const auto StateKey = QStringLiteral("window/state");

QString pinKey(const QUrl &server)
{
    return QStringLiteral("certificates/%1:%2")
        .arg(server.host())
        .arg(server.port(server.scheme() == QLatin1String("https") ? 443 : 80));
}
} // namespace

ServerSettings::ServerSettings(QSettings *settings)
    : m_settings(settings)
{
    // No secret stays in plain settings, not even an old one.
    m_settings->remove(LegacyTokenKey);
}

QUrl ServerSettings::normalizedServer(const QString &text)
{
    QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    // Clerks type "venue-pc:8080"; without a scheme QUrl would read "venue-pc" as one.
    if (!trimmed.contains(QLatin1String("://")))
        trimmed.prepend(QLatin1String("http://"));
    QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        return {};
    return url.adjusted(QUrl::StripTrailingSlash | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

QUrl ServerSettings::server() const
{
    const QUrl stored = normalizedServer(m_settings->value(ServerKey).toString());
    return stored.isEmpty() ? defaultServer() : stored;
}

void ServerSettings::setServer(const QUrl &server)
{
    m_settings->setValue(ServerKey, server.toString());
}

QString ServerSettings::lastUser() const
{
    return m_settings->value(UserKey).toString();
}

void ServerSettings::setLastUser(const QString &user)
{
    m_settings->setValue(UserKey, user);
}

QByteArray ServerSettings::windowGeometry() const
{
    return m_settings->value(GeometryKey).toByteArray();
}

void ServerSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(GeometryKey, geometry);
}

QByteArray ServerSettings::windowState() const
{
    return m_settings->value(StateKey).toByteArray();
}

void ServerSettings::setWindowState(const QByteArray &state)
{
    m_settings->setValue(StateKey, state);
}

CertificatePin ServerSettings::pinnedCertificate(const QUrl &server) const
{
    return {QByteArray::fromHex(m_settings->value(pinKey(server)).toByteArray())};
}

void ServerSettings::setPinnedCertificate(const QUrl &server, const CertificatePin &pin)
{
    m_settings->setValue(pinKey(server), QString::fromLatin1(pin.sha256.toHex()));
}

} // namespace Marquee
