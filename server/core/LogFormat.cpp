#include "LogFormat.h"

#include <QRegularExpression>
#include <QStringList>
#include <atomic>
#include <cerrno>
#include <cstring>

#include <sys/stat.h>
#include <unistd.h>

namespace Marquee {

namespace {

/// Set once by install(), before any thread logs; read by every thread.
std::atomic<LogFormat::Style> installedStyle{LogFormat::Style::Readable};

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "critical";
    case QtFatalMsg:
        return "fatal";
    }
    return "warning";
}

/// sd-daemon(3) priorities: LOG_CRIT 2, LOG_ERR 3, LOG_WARNING 4, LOG_INFO 6, LOG_DEBUG 7.
const char *priority(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "<7>";
    case QtInfoMsg:
        return "<6>";
    case QtWarningMsg:
        return "<4>";
    case QtCriticalMsg:
        return "<3>";
    case QtFatalMsg:
        return "<2>";
    }
    return "<4>";
}

/// The message's lines, trimmed, joined by " | "; empty lines dropped.
QString oneLine(const QString &message)
{
    if (!message.contains(u'\n') && !message.contains(u'\r'))
        return message;
    QStringList parts;
    const QStringList lines = message.split(QRegularExpression(QStringLiteral("[\r\n]+")));
    for (const QString &part : lines) {
        const QString trimmed = part.trimmed();
        if (!trimmed.isEmpty())
            parts.append(trimmed);
    }
    return parts.join(QStringLiteral(" | "));
}

} // namespace

LogFormat::Style LogFormat::detect(const QByteArray &journalStream, int fd)
{
    const QList<QByteArray> parts = journalStream.split(':');
    if (parts.size() != 2)
        return Style::Readable;
    bool deviceOk = false;
    bool inodeOk = false;
    const qulonglong device = parts.at(0).toULongLong(&deviceOk);
    const qulonglong inode = parts.at(1).toULongLong(&inodeOk);
    struct stat status;
    if (!deviceOk || !inodeOk || ::fstat(fd, &status) != 0)
        return Style::Readable;
    return qulonglong(status.st_dev) == device && qulonglong(status.st_ino) == inode
        ? Style::Journal
        : Style::Readable;
}

QByteArray LogFormat::line(
    QtMsgType type, const char *category, const QString &message, Style style, const QDateTime &at)
{
    QByteArray out = style == Style::Journal
        ? QByteArray(priority(type))
        : at.toUTC().toString(Qt::ISODate).toUtf8() + ' ' + levelName(type) + ' ';
    if (category && std::strcmp(category, "default") != 0)
        out += QByteArray(category) + ": ";
    out += oneLine(message).toUtf8();
    out += '\n';
    return out;
}

void LogFormat::install()
{
    installedStyle.store(detect(qgetenv("JOURNAL_STREAM"), STDERR_FILENO));
    qInstallMessageHandler(&LogFormat::handle);
}

void LogFormat::handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QByteArray text = line(
        type, context.category, message, installedStyle.load(), QDateTime::currentDateTimeUtc());
    // One write(2) per line, so lines of several threads never interleave.
    qsizetype written = 0;
    while (written < text.size()) {
        const ssize_t n
            = ::write(STDERR_FILENO, text.constData() + written, size_t(text.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        written += n;
    }
}

} // namespace Marquee
