#include "OperatorsController.h"

#include "ClientAddress.h"
#include "Clock.h"
#include "Metrics.h"
#include "MetricsText.h"
#include "Router.h"
#include "Storage.h"

#include <QJsonObject>
#include <QTimer>

namespace Marquee {

OperatorsController::OperatorsController(Router &router, Storage &storage, const Metrics &metrics,
    const Clock &clock, OperatorSettings settings)
    : m_storage(storage)
    , m_metrics(metrics)
    , m_clock(clock)
    , m_settings(std::move(settings))
{
    using Method = QHttpServerRequest::Method;
    // MemoryOnly: /healthz decides itself what a full storage queue means
    // for it, rather than getting the generic 503 of StorageGate.
    router.add(
        Method::Get, QStringLiteral("/healthz"),
        [this](const HttpRequest &request, HttpReply reply) { health(request, std::move(reply)); },
        Router::Uses::MemoryOnly);
    router.add(
        Method::Get, QStringLiteral("/metrics"),
        [this](const HttpRequest &request, HttpReply reply) { scrape(request, std::move(reply)); },
        Router::Uses::MemoryOnly);
}

bool OperatorsController::metricsAllowed(const QHostAddress &client) const
{
    if (ClientAddress::normalized(client).isLoopback())
        return true;
    for (const AddressRange &range : m_settings.metricsAllowed) {
        if (range.contains(client))
            return true;
    }
    return false;
}

void OperatorsController::unavailable(
    HttpReply &reply, const QString &reason, const QString &message)
{
    reply.json(503,
        QJsonObject{{QStringLiteral("status"), QStringLiteral("unavailable")},
            {QStringLiteral("reason"), reason}, {QStringLiteral("message"), message}});
}

void OperatorsController::health(const HttpRequest &, HttpReply reply)
{
    // A full queue is a server that refuses database work: a load balancer
    // should send requests elsewhere, and one more job would only add to it.
    if (m_settings.storageQueueLimit > 0 && m_storage.waiting() >= m_settings.storageQueueLimit)
        return unavailable(
            reply, QStringLiteral("busy"), QStringLiteral("The database queue is full."));
    // Answered once: by the database's answer or by this, whichever is first.
    QTimer::singleShot(m_settings.healthTimeoutMs, &m_timers, [reply]() mutable {
        unavailable(reply, QStringLiteral("timeout"),
            QStringLiteral("The database did not answer in time."));
    });
    // Those the timeout answered go; the question may never come back.
    m_waiting.removeIf([](const HttpReply &waiting) { return waiting.sent(); });
    m_waiting.append(reply);
    if (!m_asking)
        ask();
}

void OperatorsController::ask()
{
    m_asking = true;
    m_storage.run<bool>(
        [](StorageSession &s) {
            // A table, not SELECT 1: the schema must be readable too.
            Sql::scalar(s.db, QStringLiteral("SELECT MAX(version) FROM schema_version"));
            return true;
        },
        [this](std::optional<bool> answered, const QString &) {
            // The reason is in the log already (Storage says when the
            // connection is lost); probes every few seconds would repeat it.
            answerWaiting(answered.has_value());
        });
}

void OperatorsController::answerWaiting(bool databaseAnswered)
{
    m_asking = false;
    const QList<HttpReply> waiting = std::exchange(m_waiting, {});
    for (HttpReply reply : waiting) {
        if (databaseAnswered)
            reply.json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
        else
            unavailable(
                reply, QStringLiteral("database"), QStringLiteral("The database does not answer."));
    }
}

void OperatorsController::scrape(const HttpRequest &request, HttpReply reply)
{
    if (!metricsAllowed(request.client))
        return reply.error(403, QStringLiteral("forbidden"),
            QStringLiteral("Metrics are served to loopback clients and to the addresses given"
                           " with --metrics-allow."));
    reply.bytes(200, MetricsText::contentType(), MetricsText::render(m_metrics, m_clock.now()));
}

} // namespace Marquee
