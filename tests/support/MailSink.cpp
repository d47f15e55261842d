#include "MailSink.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>

namespace Marquee::Test {

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QString pythonWithAiosmtpd()
{
    const QStringList candidates = {QStringLiteral("/usr/bin/python3"),
        QStandardPaths::findExecutable(QStringLiteral("python3"))};
    for (const QString &python : candidates) {
        if (!python.isEmpty()
            && QProcess::execute(python, {QStringLiteral("-c"), QStringLiteral("import aiosmtpd")})
                == 0)
            return python;
    }
    return {};
}

Entity parseEntity(QByteArray raw)
{
    raw.replace("\r\n", "\n"); // the maildir stores LF line ends
    const qsizetype end = raw.indexOf("\n\n");
    Entity entity;
    entity.body = end < 0 ? QByteArray() : raw.mid(end + 2);
    QByteArray name;
    for (const QByteArray &line : raw.left(end).split('\n')) {
        if ((line.startsWith(' ') || line.startsWith('\t')) && !name.isEmpty()) {
            entity.headers[name] += ' ' + line.trimmed();
        } else if (const qsizetype colon = line.indexOf(':'); colon > 0) {
            name = line.left(colon).toLower();
            entity.headers[name] = line.mid(colon + 1).trimmed();
        }
    }
    return entity;
}

QByteArray parameter(const QByteArray &value, const QByteArray &name)
{
    const QRegularExpression re(
        QStringLiteral("%1=\"?([^\";]+)\"?").arg(QString::fromLatin1(name)));
    return re.match(QString::fromLatin1(value)).captured(1).toLatin1();
}

QList<Entity> parts(const Entity &multipart)
{
    const QByteArray boundary
        = "--" + parameter(multipart.headers.value("content-type"), "boundary");
    QList<Entity> result;
    const QList<QByteArray> chunks = multipart.body.split('\n');
    QByteArray current;
    bool inside = false;
    for (const QByteArray &line : chunks) {
        if (line == boundary || line == boundary + "--") {
            if (inside)
                result.append(parseEntity(current));
            current.clear();
            inside = line == boundary;
        } else if (inside) {
            current += line + '\n';
        }
    }
    return result;
}

// RFC 2047 encoded words (B and Q); white space between two words is dropped.
QString decodeWords(const QByteArray &value)
{
    const QRegularExpression word(
        QStringLiteral("=\\?UTF-8\\?([BbQq])\\?([^?]*)\\?=(?:\\s+(?==\\?))?"));
    QString result;
    qsizetype at = 0;
    for (auto it = word.globalMatch(QString::fromLatin1(value)); it.hasNext();) {
        const auto m = it.next();
        result += QString::fromLatin1(value.mid(at, m.capturedStart() - at));
        const QByteArray text = m.captured(2).toLatin1();
        const QByteArray bytes = m.captured(1).toUpper() == QLatin1String("B")
            ? QByteArray::fromBase64(text)
            : QByteArray::fromPercentEncoding(QByteArray(text).replace('_', ' '), '=');
        result += QString::fromUtf8(bytes);
        at = m.capturedEnd();
    }
    return result + QString::fromLatin1(value.mid(at));
}

QByteArray decodeQuotedPrintable(QByteArray text)
{
    text.replace("=\n", "");
    return QByteArray::fromPercentEncoding(text, '=');
}

QByteArray decodedBody(const Entity &part)
{
    const QByteArray encoding = part.headers.value("content-transfer-encoding").toLower();
    if (encoding == "base64")
        return QByteArray::fromBase64(part.body);
    if (encoding == "quoted-printable")
        return decodeQuotedPrintable(part.body);
    return part.body;
}

QList<Entity> leaves(const Entity &message)
{
    if (!message.headers.value("content-type").toLower().startsWith("multipart/"))
        return {message};
    QList<Entity> result;
    for (const Entity &part : parts(message))
        result += leaves(part);
    return result;
}

SmtpSink::~SmtpSink()
{
    m_process.terminate();
    if (!m_process.waitForFinished(5000))
        m_process.kill();
    m_process.waitForFinished(1000);
}

bool SmtpSink::start(const QString &python)
{
    if (python.isEmpty())
        return false;
    m_port = freePort();
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(python,
        {QStringLiteral("-m"), QStringLiteral("aiosmtpd"), QStringLiteral("-n"),
            QStringLiteral("-l"), QStringLiteral("127.0.0.1:%1").arg(m_port), QStringLiteral("-c"),
            QStringLiteral("aiosmtpd.handlers.Mailbox"), maildir()});
    return m_process.waitForStarted(5000);
}

bool SmtpSink::accepting()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    return socket.waitForConnected(200);
}

QList<QByteArray> SmtpSink::messages() const
{
    QList<QByteArray> result;
    const QDir inbox(maildir() + QStringLiteral("/new"));
    for (const QString &name : inbox.entryList(QDir::Files)) {
        QFile file(inbox.filePath(name));
        if (file.open(QIODevice::ReadOnly))
            result.append(file.readAll());
    }
    return result;
}

} // namespace Marquee::Test
