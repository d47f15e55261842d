#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Marquee {

/// A file sent with a mail, e.g. the order's tickets as a PDF.
struct MailAttachment
{
    QString fileName;
    QByteArray mimeType; // "application/pdf"
    QByteArray data;
};

/// One mail as the application writes it. from and to are "Name <address>"
/// or a bare address; the name may be any Unicode, the address ASCII.
struct MailMessage
{
    QString from;
    QString to;
    QString subject;
    QString text;
    QString html; // optional; sent as an alternative to text
    QList<MailAttachment> attachments;
};

} // namespace Marquee
