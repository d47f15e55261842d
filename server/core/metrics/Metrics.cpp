#include "Metrics.h"

namespace Marquee {

Metrics::Metrics(QDateTime startedAt)
    : m_startedAt(std::move(startedAt))
{
    for (std::atomic<quint64> &count : m_answers)
        count.store(0, std::memory_order_relaxed);
    m_holdsCreated.store(0, std::memory_order_relaxed);
    for (std::atomic<quint64> &count : m_holdsReleased)
        count.store(0, std::memory_order_relaxed);
}

void Metrics::countAnswer(int status) noexcept
{
    const int hundreds = status / 100;
    if (hundreds >= 1 && hundreds <= 5)
        m_answers[size_t(hundreds - 1)].fetch_add(1, std::memory_order_relaxed);
}

quint64 Metrics::answers(int hundreds) const noexcept
{
    if (hundreds < 1 || hundreds > 5)
        return 0;
    return m_answers[size_t(hundreds - 1)].load(std::memory_order_relaxed);
}

void Metrics::countHoldsCreated(quint64 holds) noexcept
{
    m_holdsCreated.fetch_add(holds, std::memory_order_relaxed);
}

void Metrics::countHoldsReleased(Release why, quint64 holds) noexcept
{
    m_holdsReleased[size_t(why)].fetch_add(holds, std::memory_order_relaxed);
}

quint64 Metrics::holdsReleased(Release why) const noexcept
{
    return m_holdsReleased[size_t(why)].load(std::memory_order_relaxed);
}

void Metrics::addGaugeFamily(QByteArray name, QByteArray help, std::function<QList<Sample>()> read)
{
    m_gauges.append({std::move(name), std::move(help), std::move(read)});
}

void Metrics::addGauge(QByteArray name, QByteArray help, std::function<double()> read)
{
    addGaugeFamily(std::move(name), std::move(help), [read = std::move(read)] {
        return QList<Sample>{Sample{{}, read()}};
    });
}

} // namespace Marquee
