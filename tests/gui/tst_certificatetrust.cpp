// The counter meets a server on HTTPS: a certificate that an authority
// vouches for is taken silently; a venue's self-signed one is shown once
// with its fingerprint, pinned when the clerk trusts it, and then used for
// the API and the channel alike; a different certificate later is a
// warning, never a silent switch. Real servers with openssl-made
// certificates, real dialogs offscreen.
#include "CounterFixture.h"
#include "TestCertificates.h"
#include "TestDatabases.h"
#include "TestServer.h"
#include "model/ServerSettings.h"
#include "net/ApiClient.h"
#include "net/EventChannel.h"
#include "widgets/CertificateDialog.h"
#include "widgets/SignInDialog.h"

#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Marquee;
using namespace Marquee::Test;
using CounterFixture::saveScreenshot;

namespace {

const QString Password = QStringLiteral("gus's password");

/// The labels of \a widget, their line breaks removed (the fingerprint is
/// shown on two lines).
QStringList labelTexts(const QWidget &widget)
{
    QStringList texts;
    for (const QLabel *label : widget.findChildren<QLabel *>())
        texts << label->text().remove(u'\n');
    return texts;
}

/// One start of the app at its sign-in dialog: filled in, Sign in pressed.
struct SignInAttempt
{
    ApiClient api;
    SignInDialog dialog;

    SignInAttempt(ServerSettings *settings, const QUrl &server)
        : dialog(&api, settings, SignInDialog::Mode::SignIn)
    {
        dialog.show();
        dialog.serverField()->setText(server.toString());
        dialog.userField()->setText(QStringLiteral("gus"));
        dialog.passwordField()->setText(Password);
        dialog.signInButton()->click();
    }
};

} // namespace

class TestCertificateTrust : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
        const auto venue = m_certificates.selfSigned(QStringLiteral("venue"));
        const auto vouched = m_certificates.signedByAuthority(QStringLiteral("vouched"));
        m_other = m_certificates.selfSigned(QStringLiteral("impostor")).certificate;
        QVERIFY2(!venue.certificate.isNull() && !vouched.certificate.isNull() && !m_other.isNull(),
            qPrintable(m_certificates.error()));
        m_venueCertificate = venue.certificate;
        // As on a counter whose system trusts the authority of "vouched".
        QSslConfiguration system = QSslConfiguration::defaultConfiguration();
        system.setCaCertificates({m_certificates.authority()});
        QSslConfiguration::setDefaultConfiguration(system);

        m_selfSigned = startServer(venue);
        m_vouched = startServer(vouched);
        QVERIFY(m_selfSigned && m_vouched);
    }

    void init()
    {
        m_store = std::make_unique<QSettings>(
            m_dir.filePath(QStringLiteral("counter.ini")), QSettings::IniFormat);
        m_store->clear();
        m_settings = std::make_unique<ServerSettings>(m_store.get());
    }

    void selfSignedIsShownOnceThenPinned()
    {
        const QUrl server = m_selfSigned->httpUrl();
        {
            SignInAttempt attempt(m_settings.get(), server);
            SignInDialog &dialog = attempt.dialog;
            ApiClient &api = attempt.api;
            CertificateDialog *ask = nullptr;
            QTRY_VERIFY_WITH_TIMEOUT(ask = dialog.findChild<CertificateDialog *>(), 10'000);
            QTRY_VERIFY(ask->isVisible());
            // The fingerprint the server printed at start, for the clerk to compare.
            QVERIFY2(labelTexts(*ask).contains(m_selfSigned->server().tlsFingerprint()),
                qPrintable(labelTexts(*ask).join(u'|')));
            QVERIFY(ask->cancelButton()->isDefault());
            saveScreenshot(*ask, QStringLiteral("certificate.png"));

            ask->cancelButton()->click();
            QTRY_VERIFY(dialog.problemLabel()->text().contains(QLatin1String("not trusted")));
            QVERIFY(!api.hasStaffToken());
            QVERIFY(m_settings->pinnedCertificate(server).sha256.isEmpty());
            QVERIFY(dialog.passwordField()->text().isEmpty());

            dialog.passwordField()->setText(Password);
            dialog.signInButton()->click();
            QTRY_VERIFY_WITH_TIMEOUT(
                (ask = dialog.findChild<CertificateDialog *>()) && ask->isVisible(), 10'000);
            ask->trustButton()->click();
            QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 10'000);
            QCOMPARE(api.session().user, QStringLiteral("gus"));
            QCOMPARE(m_settings->pinnedCertificate(server).sha256,
                CertificatePin::digestOf(m_venueCertificate));

            // The channel trusts what the clerk trusted, and only that.
            EventChannel pinned;
            pinned.setPinnedCertificate(api.pinnedCertificate());
            pinned.open(api.channelUrl(QStringLiteral("open-air")));
            EventChannel unpinned;
            unpinned.open(api.channelUrl(QStringLiteral("open-air")));
            QTRY_COMPARE_WITH_TIMEOUT(pinned.state(), EventChannel::State::Live, 10'000);
            QTRY_VERIFY_WITH_TIMEOUT(!unpinned.lastError().isEmpty(), 10'000);
            QVERIFY(unpinned.state() != EventChannel::State::Live);
        }

        // The next start of the app: no question, the pin does it.
        SignInAttempt again(m_settings.get(), server);
        QTRY_COMPARE_WITH_TIMEOUT(again.dialog.result(), int(QDialog::Accepted), 10'000);
        QVERIFY(!again.dialog.findChild<CertificateDialog *>());
    }

    void changedCertificateIsAWarning()
    {
        const QUrl server = m_selfSigned->httpUrl();
        const CertificatePin before{CertificatePin::digestOf(m_other)};
        m_settings->setPinnedCertificate(server, before);
        SignInAttempt attempt(m_settings.get(), server);
        SignInDialog &dialog = attempt.dialog;
        CertificateDialog *ask = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (ask = dialog.findChild<CertificateDialog *>()) && ask->isVisible(), 10'000);
        QCOMPARE(ask->windowTitle(), QStringLiteral("Server certificate changed"));
        QVERIFY(labelTexts(*ask).contains(CertificatePin::fingerprint(before.sha256)));
        QVERIFY(labelTexts(*ask).contains(m_selfSigned->server().tlsFingerprint()));
        QVERIFY(ask->cancelButton()->isDefault());
        ask->cancelButton()->click();
        QTRY_VERIFY(dialog.problemLabel()->isVisible());
        QVERIFY(!attempt.api.hasStaffToken());
        QCOMPARE(m_settings->pinnedCertificate(server).sha256, before.sha256);
    }

    void vouchedCertificateNeedsNoQuestion()
    {
        const QUrl server = m_vouched->httpUrl();
        SignInAttempt attempt(m_settings.get(), server);
        QTRY_COMPARE_WITH_TIMEOUT(attempt.dialog.result(), int(QDialog::Accepted), 10'000);
        QVERIFY(!attempt.dialog.findChild<CertificateDialog *>());
        QVERIFY(m_settings->pinnedCertificate(server).sha256.isEmpty());
    }

    void cleanupTestCase()
    {
        m_selfSigned.reset();
        m_vouched.reset();
    }

private:
    std::unique_ptr<TestServer> startServer(const TestCertificates::Files &files)
    {
        auto server = std::make_unique<TestServer>(m_databases.fresh());
        server->options().tlsCert = files.cert;
        server->options().tlsKey = files.key;
        if (!server->start()) {
            qWarning("%s", qPrintable(server->error()));
            return nullptr;
        }
        server->addUser(QStringLiteral("gus"), Password, Role::Clerk);
        return server;
    }

    TestDatabases m_databases;
    TestCertificates m_certificates;
    QSslCertificate m_venueCertificate;
    QSslCertificate m_other;
    std::unique_ptr<TestServer> m_selfSigned;
    std::unique_ptr<TestServer> m_vouched;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_store;
    std::unique_ptr<ServerSettings> m_settings;
};

QTEST_MAIN(TestCertificateTrust)
#include "tst_certificatetrust.moc"
