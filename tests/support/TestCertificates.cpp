#include "TestCertificates.h"

#include <QFile>
#include <QProcess>

namespace Marquee::Test {

namespace {

const QStringList ecKey{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
    QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
const QString hostNames = QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost");

} // namespace

TestCertificates::TestCertificates()
{
    if (!m_dir.isValid())
        m_error = QStringLiteral("no temporary folder: %1").arg(m_dir.errorString());
}

bool TestCertificates::openssl(const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(30'000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        m_error = QStringLiteral("openssl %1 failed: %2 %3")
                      .arg(arguments.first(), process.errorString(),
                          QString::fromLocal8Bit(process.readAllStandardError()));
        return false;
    }
    return true;
}

TestCertificates::Files TestCertificates::filesOf(const QString &name)
{
    Files files{m_dir.filePath(name + QStringLiteral(".pem")),
        m_dir.filePath(name + QStringLiteral(".key")), QSslCertificate()};
    QFile::setPermissions(files.key, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const auto chain = QSslCertificate::fromPath(files.cert);
    if (!chain.isEmpty())
        files.certificate = chain.first();
    return files;
}

TestCertificates::Files TestCertificates::selfSigned(const QString &name)
{
    openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ecKey
        + QStringList{QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
            QStringLiteral("/CN=%1").arg(name), QStringLiteral("-addext"), hostNames,
            QStringLiteral("-keyout"), name + QStringLiteral(".key"), QStringLiteral("-out"),
            name + QStringLiteral(".pem")});
    return filesOf(name);
}

QSslCertificate TestCertificates::authority()
{
    if (!m_haveAuthority) {
        m_haveAuthority
            = openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ecKey
                + QStringList{QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=Marquee test authority"), QStringLiteral("-keyout"),
                    QStringLiteral("ca.key"), QStringLiteral("-out"), QStringLiteral("ca.pem")});
    }
    const auto chain = QSslCertificate::fromPath(m_dir.filePath(QStringLiteral("ca.pem")));
    return chain.isEmpty() ? QSslCertificate() : chain.first();
}

TestCertificates::Files TestCertificates::signedByAuthority(const QString &name)
{
    if (authority().isNull())
        return Files{{}, {}, QSslCertificate()};
    QFile extensions(m_dir.filePath(name + QStringLiteral(".ext")));
    if (!extensions.open(QIODevice::WriteOnly))
        return Files{{}, {}, QSslCertificate()};
    extensions.write(hostNames.toLatin1() + '\n');
    extensions.close();
    const bool made = openssl(QStringList{QStringLiteral("req"), QStringLiteral("-new")} + ecKey
                          + QStringList{QStringLiteral("-subj"), QStringLiteral("/CN=%1").arg(name),
                              QStringLiteral("-keyout"), name + QStringLiteral(".key"),
                              QStringLiteral("-out"), name + QStringLiteral(".csr")})
        && openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
            name + QStringLiteral(".csr"), QStringLiteral("-CA"), QStringLiteral("ca.pem"),
            QStringLiteral("-CAkey"), QStringLiteral("ca.key"), QStringLiteral("-CAcreateserial"),
            QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"),
            extensions.fileName(), QStringLiteral("-out"), name + QStringLiteral(".pem")});
    return made ? filesOf(name) : Files{{}, {}, QSslCertificate()};
}

} // namespace Marquee::Test
