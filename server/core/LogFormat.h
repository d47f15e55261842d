#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QtGlobal>

namespace Marquee {

/// How the server's log lines look: one line per event, with its level.
/// Under systemd, with stderr connected to the journal (JOURNAL_STREAM
/// names stderr's device and inode), each line starts with its syslog
/// priority as sd-daemon(3) describes (<3> critical, <4> warning, <6> info,
/// <7> debug) and carries no time, which the journal records itself.
/// Elsewhere: "2026-12-02T06:00:00Z warning storage: …" in UTC. Line
/// breaks inside a message (database errors have them) become " | ", so an
/// event never spills into lines without a level.
class LogFormat
{
public:
    enum class Style
    {
        Journal,
        Readable,
    };

    /// Journal when \a journalStream ("DEVICE:INODE", the JOURNAL_STREAM
    /// variable) is the file behind \a fd; a stale variable inherited by a
    /// process whose stderr went elsewhere does not count.
    static Style detect(const QByteArray &journalStream, int fd);

    /// One line, ending in a line feed. \a category is left out when it is
    /// Qt's "default" (our messages start with their part: "storage: …").
    static QByteArray line(QtMsgType type, const char *category, const QString &message,
        Style style, const QDateTime &at);

    /// Installs the message handler that writes line() to stderr, in the
    /// style detect() gives for this process's stderr. Call once, from main().
    static void install();

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message);
};

} // namespace Marquee
