#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

namespace Marquee::Test {

/// A free loopback port, for a helper process to listen on.
quint16 freePort();

/// Debian's aiosmtpd belongs to /usr/bin/python3; a python3 earlier on PATH
/// (pyenv) may lack it. Empty when none has it.
QString pythonWithAiosmtpd();

/// A mail as stored: unfolded headers by lower-case name, and the body.
struct Entity
{
    QMap<QByteArray, QByteArray> headers;
    QByteArray body;
};

Entity parseEntity(QByteArray raw);
QByteArray parameter(const QByteArray &value, const QByteArray &name);
/// The parts of a multipart entity, one level down.
QList<Entity> parts(const Entity &multipart);
/// RFC 2047 encoded words (B and Q); white space between two words is dropped.
QString decodeWords(const QByteArray &value);
QByteArray decodeQuotedPrintable(QByteArray text);
/// A leaf part's body decoded from its Content-Transfer-Encoding.
QByteArray decodedBody(const Entity &part);
/// Every leaf part of \a message, depth first.
QList<Entity> leaves(const Entity &message);

/// A real SMTP server on loopback for tests: aiosmtpd's Mailbox handler
/// storing each message as one file of a maildir.
class SmtpSink
{
public:
    ~SmtpSink();
    bool start(const QString &python = pythonWithAiosmtpd());
    bool accepting();
    QList<QByteArray> messages() const;
    QUrl url() const { return QUrl(QStringLiteral("smtp://127.0.0.1:%1").arg(m_port)); }

private:
    // Python's Maildir makes its tmp/new/cur folders only for a folder that
    // does not exist yet.
    QString maildir() const { return m_dir.filePath(QStringLiteral("maildir")); }

    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace Marquee::Test
