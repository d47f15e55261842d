// SmtpMailer against a real SMTP server (Python's aiosmtpd on loopback): the
// MIME it sends, retries when nobody answers, refused header injection and a
// prompt shutdown.
#include "MailHeaders.h"
#include "MailSink.h"
#include "SmtpMailer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

namespace {

MailMessage sampleMessage()
{
    MailMessage m;
    m.from = QStringLiteral("Marquee Box Office <tickets@marquee.test>");
    m.to = QStringLiteral("Käthe Müller <kaethe@example.org>");
    m.subject
        = QStringLiteral("Ihre Tickets für „Frühstück: Die Fortsetzung“ — Bestellung o_7fk2q9xw");
    m.text = QStringLiteral("Hallo Käthe,\nanbei Ihre Tickets.\n");
    m.html = QStringLiteral("<p>Hallo Käthe,</p><p>anbei Ihre Tickets.</p>");
    QByteArray pdf("%PDF-1.4\n");
    for (int i = 0; i < 4000; ++i)
        pdf += char(QRandomGenerator::global()->bounded(256));
    m.attachments.append({QStringLiteral("tickets-o_7fk2q9xw.pdf"), "application/pdf", pdf});
    return m;
}

} // namespace

class TestMailer : public QObject
{
    Q_OBJECT

private slots:
    void deliversMimeWithAttachment();
    void failsAfterRetriesWhenNobodyListens();
    void refusesHeaderInjection_data();
    void refusesHeaderInjection();
    void destructorIsPromptWhileRetrying();
    void encodedWordsAreShortAndFolded();
};

void TestMailer::deliversMimeWithAttachment()
{
    const QString python = pythonWithAiosmtpd();
    QVERIFY2(
        !python.isEmpty(), "python3 with aiosmtpd (Debian package python3-aiosmtpd) is needed");
    SmtpSink sink;
    QVERIFY(sink.start(python));
    QTRY_VERIFY_WITH_TIMEOUT(sink.accepting(), 10000);

    SmtpMailer mailer(sink.url());
    QSignalSpy sent(&mailer, &SmtpMailer::sent);
    QSignalSpy failed(&mailer, &SmtpMailer::failed);
    const MailMessage message = sampleMessage();
    const quint64 id = mailer.send(message);
    QTRY_COMPARE_WITH_TIMEOUT(sent.count() + failed.count(), 1, 20000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(1).toString()));
    QCOMPARE(sent.first().at(0).toULongLong(), id);
    QTRY_COMPARE(sink.messages().size(), 1);

    const Entity mail = parseEntity(sink.messages().first());
    QCOMPARE(decodeWords(mail.headers.value("subject")), message.subject);
    QCOMPARE(decodeWords(mail.headers.value("to")), message.to);
    QCOMPARE(
        mail.headers.value("from"), QByteArray("\"Marquee Box Office\" <tickets@marquee.test>"));
    QCOMPARE(mail.headers.value("x-mailfrom"), QByteArray("tickets@marquee.test")); // the envelope
    QCOMPARE(mail.headers.value("x-rcptto"), QByteArray("kaethe@example.org"));
    const QDateTime date
        = QDateTime::fromString(QString::fromLatin1(mail.headers.value("date")), Qt::RFC2822Date);
    QVERIFY(qAbs(date.secsTo(QDateTime::currentDateTimeUtc())) < 120);
    QVERIFY(QRegularExpression(QStringLiteral("^<[0-9a-f]{32}@marquee\\.test>$"))
                .match(QString::fromLatin1(mail.headers.value("message-id")))
                .hasMatch());
    QVERIFY(mail.headers.value("content-type").startsWith("multipart/mixed"));

    const QList<Entity> mixed = parts(mail);
    QCOMPARE(mixed.size(), 2);
    QVERIFY(mixed.at(0).headers.value("content-type").startsWith("multipart/alternative"));
    const QList<Entity> alternative = parts(mixed.at(0));
    QCOMPARE(alternative.size(), 2);
    QCOMPARE(
        alternative.at(0).headers.value("content-type"), QByteArray("text/plain; charset=UTF-8"));
    QCOMPARE(QString::fromUtf8(decodeQuotedPrintable(alternative.at(0).body)).trimmed(),
        message.text.trimmed());
    QVERIFY(alternative.at(1).headers.value("content-type").startsWith("text/html"));

    const Entity &attachment = mixed.at(1);
    QCOMPARE(attachment.headers.value("content-type"), QByteArray("application/pdf"));
    QCOMPARE(attachment.headers.value("content-transfer-encoding"), QByteArray("base64"));
    QCOMPARE(parameter(attachment.headers.value("content-disposition"), "filename"),
        QByteArray("tickets-o_7fk2q9xw.pdf"));
    QCOMPARE(QByteArray::fromBase64(attachment.body), message.attachments.first().data);
}

void TestMailer::failsAfterRetriesWhenNobodyListens()
{
    SmtpMailer mailer(QUrl(QStringLiteral("smtp://127.0.0.1:%1").arg(freePort())));
    mailer.setRetryDelays({20, 40});
    QSignalSpy sent(&mailer, &SmtpMailer::sent);
    QSignalSpy failed(&mailer, &SmtpMailer::failed);
    QSignalSpy retrying(&mailer, &SmtpMailer::retrying);
    const quint64 id = mailer.send(sampleMessage());
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QCOMPARE(failed.first().at(0).toULongLong(), id);
    QVERIFY(!failed.first().at(1).toString().isEmpty());
    QCOMPARE(retrying.count(), 2); // three attempts in all
    QCOMPARE(retrying.at(1).at(1).toInt(), 2);
    QCOMPARE(sent.count(), 0);
}

void TestMailer::refusesHeaderInjection_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::newRow("subject CRLF") << "subject"
                                  << "Tickets\r\nBcc: victim@example.org";
    QTest::newRow("subject LF") << "subject"
                                << "Tickets\nBcc: victim@example.org";
    QTest::newRow("from CR") << "from"
                             << "tickets@marquee.test\rBcc: victim@example.org";
    QTest::newRow("to LF") << "to"
                           << "Käthe <kaethe@example.org>\nBcc: victim@example.org";
    QTest::newRow("to no address") << "to"
                                   << "Käthe Müller";
    QTest::newRow("to two at signs") << "to"
                                     << "a@b@example.org";
    QTest::newRow("mime type") << "type"
                               << "application/pdf\r\nX-Evil: 1";
}

void TestMailer::refusesHeaderInjection()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    MailMessage message = sampleMessage();
    if (field == QLatin1String("subject"))
        message.subject = value;
    else if (field == QLatin1String("from"))
        message.from = value;
    else if (field == QLatin1String("to"))
        message.to = value;
    else
        message.attachments.first().mimeType = value.toLatin1();
    // Nobody listens and retries wait a minute: only a refusal is this fast.
    SmtpMailer mailer(QUrl(QStringLiteral("smtp://127.0.0.1:%1").arg(freePort())));
    mailer.setRetryDelays({60000, 60000});
    QSignalSpy failed(&mailer, &SmtpMailer::failed);
    QSignalSpy retrying(&mailer, &SmtpMailer::retrying);
    const quint64 id = mailer.send(message);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 1000);
    QCOMPARE(failed.first().at(0).toULongLong(), id);
    QCOMPARE(retrying.count(), 0);
}

void TestMailer::destructorIsPromptWhileRetrying()
{
    auto mailer
        = std::make_unique<SmtpMailer>(QUrl(QStringLiteral("smtp://127.0.0.1:%1").arg(freePort())));
    mailer->setRetryDelays({60000, 60000});
    QSignalSpy retrying(mailer.get(), &SmtpMailer::retrying);
    mailer->send(sampleMessage());
    mailer->send(sampleMessage()); // queued behind the first: dropped
    QTRY_COMPARE_WITH_TIMEOUT(retrying.count(), 1, 10000);
    QElapsedTimer timer;
    timer.start();
    mailer.reset();
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
}

void TestMailer::encodedWordsAreShortAndFolded()
{
    const QString subject
        = QString(40, QChar(u'ü')) + QStringLiteral(" 🎟️ ") + QString(30, QChar(u'€'));
    const QByteArray encoded = MailHeaders::encodeText(subject);
    for (const QByteArray &line : encoded.split('\n')) {
        QVERIFY(line.trimmed().size() <= 75);
        QVERIFY(line.startsWith(" =?UTF-8?B?") || line.startsWith("=?UTF-8?B?"));
    }
    QCOMPARE(decodeWords(QByteArray(encoded).replace("\r\n", "")), subject);
    QCOMPARE(MailHeaders::encodeText(QStringLiteral("Your tickets")), QByteArray("Your tickets"));
    QString error;
    const auto address
        = MailHeaders::parseAddress(QStringLiteral("\"Box \\\"Office\\\"\" <b@x.org>"), &error);
    QVERIFY(address);
    QCOMPARE(MailHeaders::formatAddress(*address), QByteArray("\"Box \\\"Office\\\"\" <b@x.org>"));
    QCOMPARE(MailHeaders::attachmentDisposition(QStringLiteral("Käthe.pdf")),
        QByteArray("attachment; filename=\"K_the.pdf\"; filename*=UTF-8''K%C3%A4the.pdf"));
}

QTEST_GUILESS_MAIN(TestMailer)
#include "tst_mailer.moc"
