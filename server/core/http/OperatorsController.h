#pragma once

#include "AddressRange.h"
#include "HttpReply.h"

#include <QList>
#include <QObject>

namespace Marquee {

class Clock;
class Metrics;
class Router;
class Storage;
struct HttpRequest;

/// What the operator routes are allowed to do (ServerOptions).
struct OperatorSettings
{
    /// Who besides loopback may read /metrics (--metrics-allow).
    QList<AddressRange> metricsAllowed;
    /// As --storage-queue: with this many jobs waiting, /healthz does not
    /// add its own and says the server is busy.
    int storageQueueLimit = 256;
    /// How long /healthz waits for the database before it answers 503.
    int healthTimeoutMs = 2'000;
};

/// GET /healthz and GET /metrics, for load balancers, service managers and
/// Prometheus. /healthz is open to everyone and asks the database one
/// cheap question; /metrics renders Metrics for loopback clients and the
/// --metrics-allow addresses. Neither needs a token, and neither waits in
/// the storage queue behind a flood (see health()).
class OperatorsController
{
public:
    OperatorsController(Router &router, Storage &storage, const Metrics &metrics,
        const Clock &clock, OperatorSettings settings);

    /// The client may read /metrics: loopback (even with
    /// --no-loopback-exemption, which is about limits, not access) or an
    /// --metrics-allow range.
    bool metricsAllowed(const QHostAddress &client) const;

private:
    /// GET /healthz: 200 {"status":"ok"} once the database has answered;
    /// 503 {"status":"unavailable","reason":…} when it failed ("database"),
    /// did not answer within the timeout ("timeout"), or the storage queue
    /// is full ("busy"). Requests that arrive while a question is out wait
    /// for its answer instead of asking again.
    void health(const HttpRequest &request, HttpReply reply);
    /// GET /metrics
    void scrape(const HttpRequest &request, HttpReply reply);

    void ask();
    void answerWaiting(bool databaseAnswered);
    static void unavailable(HttpReply &reply, const QString &reason, const QString &message);

    Storage &m_storage;
    const Metrics &m_metrics;
    const Clock &m_clock;
    OperatorSettings m_settings;
    QList<HttpReply> m_waiting; ///< for the question that is out
    bool m_asking = false;
    QObject m_timers; ///< context of the timeouts: they end with this controller
};

} // namespace Marquee
