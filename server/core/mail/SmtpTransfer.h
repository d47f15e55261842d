#pragma once

#include "MailHeaders.h"

#include <QCoreApplication>
#include <QString>
#include <QUrl>

namespace Marquee {

/// Where and how to deliver: the server and the credentials.
struct SmtpSettings
{
    QUrl server; // smtp://host:port (STARTTLS when offered) or smtps://host:port
    QString user;
    QString password;
};

/// One delivery attempt through libcurl: builds the MIME message, speaks
/// SMTP and blocks until the server has accepted or refused the mail (10 s to
/// connect, 60 s in all). Call from one thread per transfer; curl must be
/// initialised already (SmtpMailer does that once).
class SmtpTransfer
{
    Q_DECLARE_TR_FUNCTIONS(Marquee::SmtpTransfer)

public:
    struct Result
    {
        bool ok = false;
        bool permanent = false; // the server refused (5xx): trying again will not help
        QString error;
    };

    static Result run(const SmtpSettings &settings, const PreparedMail &mail);
};

} // namespace Marquee
