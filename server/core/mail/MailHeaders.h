#pragma once

#include "MailMessage.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>

#include <optional>

namespace Marquee {

/// A mailbox split into its display name and its bare address.
struct MailAddress
{
    QString name;
    QByteArray address; // "tickets@venue.example", ASCII only (no SMTPUTF8)
};

/// A message checked and turned into what SMTP needs: the envelope and the
/// RFC 5322 header lines; the body parts are built from the message itself.
struct PreparedMail
{
    QByteArray envelopeFrom; // bare address for MAIL FROM
    QByteArray envelopeTo; // bare address for RCPT TO
    QList<QByteArray> headers; // "From: ...", "To: ...", ... without line ends
    MailMessage message;
};

/// The header side of a mail: parsing addresses, RFC 2047 encoded words and
/// refusing anything that could smuggle a header in (a CR or LF in a field).
/// Pure functions, kept apart from libcurl so they are easy to test.
class MailHeaders
{
    Q_DECLARE_TR_FUNCTIONS(Marquee::MailHeaders)

public:
    /// "Käthe Müller <k@example.org>", "\"Box Office\" <b@x.org>" or "b@x.org".
    static std::optional<MailAddress> parseAddress(const QString &text, QString *error);
    /// A header value: as is when it is printable ASCII, else UTF-8 encoded
    /// words of at most 75 characters, folded onto continuation lines.
    static QByteArray encodeText(const QString &text);
    /// "\"Box Office\" <b@x.org>", "=?UTF-8?B?…?= <k@x.org>" or "b@x.org".
    static QByteArray formatAddress(const MailAddress &address);
    /// A Content-Disposition value with an ASCII file name and, for any
    /// other, the RFC 2231 UTF-8 form as well.
    static QByteArray attachmentDisposition(const QString &fileName);

    /// Checks the message and builds its headers (Date from now, a fresh
    /// Message-ID); nullopt with a reason when it must not be sent.
    static std::optional<PreparedMail> prepare(
        MailMessage message, const QDateTime &now, QString *error);
};

} // namespace Marquee
