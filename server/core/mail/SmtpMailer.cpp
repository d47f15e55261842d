#include "SmtpMailer.h"

#include "MailHeaders.h"
#include "SmtpTransfer.h"

#include <QDebug>

#include <curl/curl.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace Marquee {

namespace {

// curl_global_init is not thread-safe and must run once per process before
// any other curl call; curl_global_cleanup is left to process exit, since
// another part of the process may still use curl.
void initialiseCurl()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

struct SmtpMailer::Job
{
    quint64 id = 0;
    PreparedMail mail;
};

// Everything the worker thread shares with the owner's thread, under one mutex.
struct SmtpMailer::Queue
{
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Job> jobs;
    bool stopping = false;
    SmtpSettings settings;
    QList<int> retryDelays = {1000, 4000};
    quint64 lastId = 0;
};

SmtpMailer::SmtpMailer(QUrl server, QObject *parent)
    : QObject(parent)
    , m_queue(std::make_unique<Queue>())
{
    initialiseCurl();
    if (!server.userInfo().isEmpty()) {
        qWarning("SmtpMailer: credentials in the server URL are ignored; use setCredentials()");
        server.setUserInfo(QString());
    }
    m_queue->settings.server = std::move(server);
    m_worker = std::thread([this] { work(); });
}

SmtpMailer::~SmtpMailer()
{
    std::size_t dropped = 0;
    {
        const std::lock_guard lock(m_queue->mutex);
        m_queue->stopping = true;
        dropped = m_queue->jobs.size();
        m_queue->jobs.clear();
    }
    m_queue->wake.notify_all();
    m_worker.join();
    if (dropped > 0)
        qWarning("SmtpMailer: %zu queued mail(s) dropped at shutdown", dropped);
}

void SmtpMailer::setCredentials(QString user, QString password)
{
    const std::lock_guard lock(m_queue->mutex);
    m_queue->settings.user = std::move(user);
    m_queue->settings.password = std::move(password);
}

void SmtpMailer::setRetryDelays(QList<int> ms)
{
    const std::lock_guard lock(m_queue->mutex);
    m_queue->retryDelays = std::move(ms);
}

quint64 SmtpMailer::send(MailMessage message)
{
    quint64 id = 0;
    {
        const std::lock_guard lock(m_queue->mutex);
        id = ++m_queue->lastId;
    }
    QString error;
    auto mail = MailHeaders::prepare(std::move(message), QDateTime::currentDateTimeUtc(), &error);
    if (!mail) {
        // Queued, so the caller has the id before the signal arrives.
        QMetaObject::invokeMethod(
            this, [this, id, error] { emit failed(id, error); }, Qt::QueuedConnection);
        return id;
    }
    {
        const std::lock_guard lock(m_queue->mutex);
        m_queue->jobs.push_back(Job{id, std::move(*mail)});
    }
    m_queue->wake.notify_all();
    return id;
}

void SmtpMailer::work()
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_queue->mutex);
            m_queue->wake.wait(
                lock, [this] { return m_queue->stopping || !m_queue->jobs.empty(); });
            if (m_queue->stopping)
                return;
            job = std::move(m_queue->jobs.front());
            m_queue->jobs.pop_front();
        }
        deliver(job);
    }
}

// Runs on the worker thread; signals are posted to the mailer's own thread.
// Posting is safe while the destructor waits in join(), and events still
// pending when the object dies are discarded with it.
void SmtpMailer::deliver(const Job &job)
{
    for (int attempt = 1;; ++attempt) {
        SmtpSettings settings;
        QList<int> delays;
        {
            const std::lock_guard lock(m_queue->mutex);
            settings = m_queue->settings;
            delays = m_queue->retryDelays;
        }
        const SmtpTransfer::Result result = SmtpTransfer::run(settings, job.mail);
        const quint64 id = job.id;
        if (result.ok) {
            QMetaObject::invokeMethod(
                this, [this, id] { emit sent(id); }, Qt::QueuedConnection);
            return;
        }
        const QString error = result.error;
        if (result.permanent || attempt > delays.size()) {
            QMetaObject::invokeMethod(
                this, [this, id, error] { emit failed(id, error); }, Qt::QueuedConnection);
            return;
        }
        QMetaObject::invokeMethod(
            this, [this, id, attempt, error] { emit retrying(id, attempt, error); },
            Qt::QueuedConnection);
        std::unique_lock lock(m_queue->mutex);
        const auto wait = std::chrono::milliseconds(qMax(0, delays.at(attempt - 1)));
        if (m_queue->wake.wait_for(lock, wait, [this] { return m_queue->stopping; }))
            return; // the destructor cuts the wait short; nobody is left to tell
    }
}

} // namespace Marquee
