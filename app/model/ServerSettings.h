#pragma once

#include "net/CertificatePin.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

class QSettings;

namespace Marquee {

/// What the counter remembers between runs: the server's address, the last
/// user name and the window layout — never a password or a token. Backed by a QSettings the caller
/// owns, so tests can hand in a temporary file instead of the clerk's real settings.
class ServerSettings
{
public:
    explicit ServerSettings(QSettings *settings);

    static QUrl defaultServer() { return QUrl(QStringLiteral("http://127.0.0.1:8080")); }
    /// Accepts "host:port" and bare hosts too; an empty QUrl when it is no
    /// http(s) address.
    static QUrl normalizedServer(const QString &text);

    QUrl server() const;
    void setServer(const QUrl &server);
    /// The user name last signed in here (a convenience; never a secret).
    QString lastUser() const;
    void setLastUser(const QString &user);
    /// The certificate a clerk accepted for \a server (its host and port).
    CertificatePin pinnedCertificate(const QUrl &server) const;
    void setPinnedCertificate(const QUrl &server, const CertificatePin &pin);
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

private:
    QSettings *m_settings;
};

} // namespace Marquee
