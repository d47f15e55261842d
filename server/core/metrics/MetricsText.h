#pragma once

#include <QByteArray>
#include <QDateTime>

namespace Marquee {

class LatencyHistogram;
class Metrics;

/// Writes Metrics in the Prometheus text exposition format 0.0.4: a
/// "# HELP" and a "# TYPE" line per metric, then one "name{labels} value"
/// line per sample; histograms as cumulative _bucket{le=…} lines ending in
/// +Inf, then _sum and _count, in seconds. The metric names are listed in
/// server/API.md ("Operators").
class MetricsText
{
public:
    /// The Content-Type of render()'s text.
    static QByteArray contentType();

    /// Everything in \a metrics; uptime is measured to \a now. Runs the
    /// registered gauges' readers, so call it on their thread.
    static QByteArray render(const Metrics &metrics, const QDateTime &now);

    /// "\\", "\"" and line feeds escaped, as label values need.
    static QByteArray escapeLabelValue(const QString &value);
    /// A number as Prometheus reads it: integers without a fraction,
    /// "+Inf", "-Inf", "NaN".
    static QByteArray number(double value);

private:
    static void header(
        QByteArray &out, const QByteArray &name, const QByteArray &help, const QByteArray &type);
    static void histogram(QByteArray &out, const QByteArray &name, const QByteArray &help,
        const LatencyHistogram &histogram);
    static void counters(QByteArray &out, const Metrics &metrics);
    static void gauges(QByteArray &out, const Metrics &metrics);
};

} // namespace Marquee
