#pragma once

#include "MailMessage.h"

#include <QList>
#include <QObject>
#include <QUrl>

#include <memory>
#include <thread>

namespace Marquee {

/// Sends mail through an SMTP server on a thread of its own, because libcurl
/// blocks for the whole conversation. A message is tried 3 times (waiting 1 s,
/// then 4 s) unless the server refuses it for good (5xx).
///
/// Thread-safety: use the object from the thread it lives in; its signals are
/// emitted in that thread (so it needs an event loop). Several mailers may
/// exist at once; nothing is global but curl's one-time initialisation.
class SmtpMailer : public QObject
{
    Q_OBJECT

public:
    /// smtp://host:port (STARTTLS when the server offers it, demanded when
    /// credentials go to a remote host) or smtps://host:port. A user or
    /// password in the URL is dropped: use setCredentials().
    explicit SmtpMailer(QUrl server, QObject *parent = nullptr);
    /// Stops and joins the worker: an attempt in progress is finished (at
    /// most curl's 60 s), a wait before a retry is cut short, and queued
    /// messages are dropped without signals.
    ~SmtpMailer() override;

    void setCredentials(QString user, QString password);
    /// The waits before each retry, in milliseconds; n delays give n + 1
    /// attempts. {1000, 4000} by default; tests make them short.
    void setRetryDelays(QList<int> ms);

    /// Queues the message; sending happens on the mailer's own thread
    /// (libcurl blocks). Returns an id. A message with a line break in the
    /// sender, recipient or subject, or a malformed address, is refused:
    /// failed(id, …) follows at once, from the event loop.
    quint64 send(MailMessage message);

signals:
    void sent(quint64 id); // accepted by the SMTP server
    void failed(quint64 id, QString error); // after the last retry
    /// Attempt number attempt (from 1) failed and another one follows.
    void retrying(quint64 id, int attempt, QString error);

private:
    struct Queue;
    struct Job;
    void work();
    void deliver(const Job &job);

    std::unique_ptr<Queue> m_queue;
    std::thread m_worker;
};

} // namespace Marquee
