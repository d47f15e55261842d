#pragma once

#include "LatencyHistogram.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <array>
#include <atomic>
#include <functional>

namespace Marquee {

/// The server's operational figures, for GET /metrics (see MetricsText).
/// Counters and histograms are recorded as things happen, from any thread
/// (relaxed atomics, no lock); gauges are read when the figures are
/// rendered, by functions registered at start that run on the rendering
/// (the server's) thread, so they may read that thread's objects. Owned by
/// MarqueeServer and handed to whoever records; knows nothing of HTTP.
class Metrics
{
public:
    /// \a startedAt: when the server started, for the uptime figures.
    explicit Metrics(QDateTime startedAt);
    Metrics(const Metrics &) = delete;
    Metrics &operator=(const Metrics &) = delete;

    QDateTime startedAt() const { return m_startedAt; }

    /// A final HTTP answer (1xx for a channel upgrade) with \a status;
    /// counted by class. Statuses outside 100-599 are not counted.
    void countAnswer(int status) noexcept;
    /// Answers of class \a hundreds (1 for 1xx … 5 for 5xx).
    quint64 answers(int hundreds) const noexcept;

    /// Why holds stopped being held without being sold.
    enum class Release
    {
        ByCart, ///< DELETE …/holds/{hold}
        Expired, ///< the expiry timer
    };
    void countHoldsCreated(quint64 holds = 1) noexcept;
    void countHoldsReleased(Release why, quint64 holds = 1) noexcept;
    quint64 holdsCreated() const noexcept { return m_holdsCreated.load(std::memory_order_relaxed); }
    quint64 holdsReleased(Release why) const noexcept;

    /// A storage job, from being queued to the end of its COMMIT.
    LatencyHistogram &commitLatency() { return m_commit; }
    const LatencyHistogram &commitLatency() const { return m_commit; }
    /// A committed change, from being handed to the channels to the last
    /// subscriber's message being queued.
    LatencyHistogram &fanOutLatency() { return m_fanOut; }
    const LatencyHistogram &fanOutLatency() const { return m_fanOut; }
    /// An HTTP request, from routing to its answer.
    LatencyHistogram &requestLatency() { return m_request; }
    const LatencyHistogram &requestLatency() const { return m_request; }

    struct Label
    {
        QByteArray name;
        QString value;
    };
    struct Sample
    {
        QList<Label> labels;
        double value = 0;
    };
    /// A figure read when rendered: \a name (a Prometheus metric name),
    /// \a help (one line), and its samples.
    struct Gauge
    {
        QByteArray name;
        QByteArray help;
        std::function<QList<Sample>()> read;
    };
    void addGaugeFamily(QByteArray name, QByteArray help, std::function<QList<Sample>()> read);
    /// A gauge of one sample without labels.
    void addGauge(QByteArray name, QByteArray help, std::function<double()> read);
    /// In the order they were added.
    const QList<Gauge> &gauges() const { return m_gauges; }

private:
    QDateTime m_startedAt;
    std::array<std::atomic<quint64>, 5> m_answers; ///< 1xx … 5xx
    std::atomic<quint64> m_holdsCreated;
    std::array<std::atomic<quint64>, 2> m_holdsReleased; ///< by Release
    LatencyHistogram m_commit;
    LatencyHistogram m_fanOut;
    LatencyHistogram m_request;
    QList<Gauge> m_gauges; ///< server thread only
};

} // namespace Marquee
