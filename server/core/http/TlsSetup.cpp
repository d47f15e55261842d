#include "TlsSetup.h"

#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTimer>

namespace Marquee::TlsSetup {

namespace {

std::optional<QSslKey> readKey(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--tls-key: cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray pem = file.readAll();
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa}) {
        const QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    *error = QStringLiteral("--tls-key: %1 holds no unencrypted RSA or EC private key in PEM"
                            " form (a key with a passphrase cannot be used)")
                 .arg(path);
    return std::nullopt;
}

/// Qt cannot tell whether a private key belongs to a certificate; OpenSSL
/// finds out only at the first handshake, and then fails every one. So the
/// server shakes hands with itself once, over loopback, before it listens.
bool shakesHands(const QSslConfiguration &tls, QString *error)
{
    QSslServer listener;
    listener.setSslConfiguration(tls);
    if (!listener.listen(QHostAddress::LocalHost, 0)) {
        *error = QStringLiteral("cannot check the TLS files: %1").arg(listener.errorString());
        return false;
    }
    QSslSocket client;
    client.setPeerVerifyMode(QSslSocket::VerifyNone);
    QEventLoop loop;
    QString failure;
    QObject::connect(&client, &QSslSocket::encrypted, &loop, &QEventLoop::quit);
    QObject::connect(&listener, &QSslServer::errorOccurred, &loop,
        [&](QSslSocket *, QAbstractSocket::SocketError) {
            failure = QStringLiteral("the server's side of a test handshake failed");
            loop.quit();
        });
    QObject::connect(&client, &QAbstractSocket::errorOccurred, &loop, [&] {
        failure = client.errorString();
        loop.quit();
    });
    QTimer::singleShot(5000, &loop, [&] {
        failure = QStringLiteral("a test handshake timed out");
        loop.quit();
    });
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), listener.serverPort());
    loop.exec();
    if (failure.isEmpty() && client.isEncrypted())
        return true;
    *error
        = QStringLiteral("--tls-key does not fit the certificate in --tls-cert (%1)").arg(failure);
    return false;
}

} // namespace

std::optional<Loaded> load(const QString &certPath, const QString &keyPath, QString *error)
{
    if (!QSslSocket::supportsSsl()) {
        *error = QStringLiteral("TLS is not available: Qt found no TLS backend (OpenSSL 3)");
        return std::nullopt;
    }
    if (!QFile::exists(certPath)) {
        *error = QStringLiteral("--tls-cert: no such file: %1").arg(certPath);
        return std::nullopt;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certPath, QSsl::Pem);
    if (chain.isEmpty()) {
        *error = QStringLiteral("--tls-cert: %1 holds no PEM certificate").arg(certPath);
        return std::nullopt;
    }
    const auto key = readKey(keyPath, error);
    if (!key)
        return std::nullopt;
    Loaded loaded;
    QSslConfiguration &tls = loaded.configuration;
    tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(*key);
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    // Clients are not asked for certificates; staff sign in with passwords.
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    // HTTP/1.1 only: Qt 6.4's HTTP server speaks no HTTP/2.
    tls.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
    if (!shakesHands(tls, error))
        return std::nullopt;

    const QSslCertificate &leaf = chain.first();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (leaf.expiryDate() < now)
        loaded.warnings << QStringLiteral("the certificate in %1 expired on %2")
                               .arg(certPath, leaf.expiryDate().toString(Qt::ISODate));
    else if (leaf.effectiveDate() > now)
        loaded.warnings << QStringLiteral("the certificate in %1 is valid only from %2")
                               .arg(certPath, leaf.effectiveDate().toString(Qt::ISODate));
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::ReadOther;
    if (QFile(keyPath).permissions() & others)
        loaded.warnings << QStringLiteral(
            "%1 may be read by other users; make it readable by the server only (chmod 600)")
                               .arg(keyPath);
    return loaded;
}

QString fingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

} // namespace Marquee::TlsSetup
