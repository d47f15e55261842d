#include "MetricsText.h"

#include "Metrics.h"

#include <cmath>

namespace Marquee {

namespace {

/// HELP text: backslashes and line feeds escaped (the format's rule).
QByteArray escapeHelp(const QByteArray &help)
{
    QByteArray escaped = help;
    escaped.replace('\\', "\\\\").replace('\n', "\\n");
    return escaped;
}

/// A bucket's bound in seconds, from microseconds: 500 -> "0.0005".
QByteArray seconds(qint64 micros)
{
    return QByteArray::number(double(micros) / 1e6, 'g', 12);
}

void sample(QByteArray &out, const QByteArray &name, const QByteArray &labels, double value)
{
    out += name;
    if (!labels.isEmpty())
        out += '{' + labels + '}';
    out += ' ' + MetricsText::number(value) + '\n';
}

} // namespace

QByteArray MetricsText::contentType()
{
    return QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8");
}

QByteArray MetricsText::escapeLabelValue(const QString &value)
{
    QByteArray escaped = value.toUtf8();
    escaped.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return escaped;
}

QByteArray MetricsText::number(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    // Counts and whole seconds print as integers, exactly up to 2^53.
    if (value == std::floor(value) && std::fabs(value) < 9007199254740992.0)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', 15);
}

void MetricsText::header(
    QByteArray &out, const QByteArray &name, const QByteArray &help, const QByteArray &type)
{
    out += "# HELP " + name + ' ' + escapeHelp(help) + '\n';
    out += "# TYPE " + name + ' ' + type + '\n';
}

void MetricsText::histogram(QByteArray &out, const QByteArray &name, const QByteArray &help,
    const LatencyHistogram &histogram)
{
    header(out, name, help, QByteArrayLiteral("histogram"));
    const LatencyHistogram::Snapshot snapshot = histogram.snapshot();
    const QByteArray bucket = name + "_bucket";
    for (int i = 0; i < LatencyHistogram::Buckets; ++i) {
        const QByteArray le = i < int(LatencyHistogram::BoundsMicros.size())
            ? seconds(LatencyHistogram::BoundsMicros[size_t(i)])
            : QByteArrayLiteral("+Inf");
        sample(out, bucket, "le=\"" + le + '"', double(snapshot.cumulative(i)));
    }
    out += name + "_sum " + seconds(qint64(snapshot.sumMicros)) + '\n';
    sample(out, name + "_count", {}, double(snapshot.count()));
}

void MetricsText::counters(QByteArray &out, const Metrics &metrics)
{
    header(out, QByteArrayLiteral("marquee_http_requests_total"),
        QByteArrayLiteral("HTTP requests answered, by status class (1xx: channel upgrades)."),
        QByteArrayLiteral("counter"));
    for (int hundreds = 1; hundreds <= 5; ++hundreds) {
        sample(out, QByteArrayLiteral("marquee_http_requests_total"),
            "status=\"" + QByteArray::number(hundreds) + "xx\"", double(metrics.answers(hundreds)));
    }
    header(out, QByteArrayLiteral("marquee_holds_created_total"),
        QByteArrayLiteral("Holds made (seated and general admission)."),
        QByteArrayLiteral("counter"));
    sample(
        out, QByteArrayLiteral("marquee_holds_created_total"), {}, double(metrics.holdsCreated()));
    header(out, QByteArrayLiteral("marquee_holds_released_total"),
        QByteArrayLiteral("Holds released unsold: by their cart, or at their expiry."),
        QByteArrayLiteral("counter"));
    sample(out, QByteArrayLiteral("marquee_holds_released_total"),
        QByteArrayLiteral("reason=\"cart\""),
        double(metrics.holdsReleased(Metrics::Release::ByCart)));
    sample(out, QByteArrayLiteral("marquee_holds_released_total"),
        QByteArrayLiteral("reason=\"expired\""),
        double(metrics.holdsReleased(Metrics::Release::Expired)));
}

void MetricsText::gauges(QByteArray &out, const Metrics &metrics)
{
    for (const Metrics::Gauge &gauge : metrics.gauges()) {
        header(out, gauge.name, gauge.help, QByteArrayLiteral("gauge"));
        const QList<Metrics::Sample> samples = gauge.read();
        for (const Metrics::Sample &one : samples) {
            QByteArray labels;
            for (const Metrics::Label &label : one.labels) {
                if (!labels.isEmpty())
                    labels += ',';
                labels += label.name + "=\"" + escapeLabelValue(label.value) + '"';
            }
            sample(out, gauge.name, labels, one.value);
        }
    }
}

QByteArray MetricsText::render(const Metrics &metrics, const QDateTime &now)
{
    QByteArray out;
    out.reserve(4096);
    header(out, QByteArrayLiteral("process_start_time_seconds"),
        QByteArrayLiteral("When the server started, in seconds since 1970 (UTC)."),
        QByteArrayLiteral("gauge"));
    sample(out, QByteArrayLiteral("process_start_time_seconds"), {},
        double(metrics.startedAt().toSecsSinceEpoch()));
    header(out, QByteArrayLiteral("marquee_uptime_seconds"),
        QByteArrayLiteral("Seconds since the server started."), QByteArrayLiteral("gauge"));
    sample(out, QByteArrayLiteral("marquee_uptime_seconds"), {},
        double(metrics.startedAt().msecsTo(now)) / 1000.0);
    counters(out, metrics);
    gauges(out, metrics);
    histogram(out, QByteArrayLiteral("marquee_http_request_duration_seconds"),
        QByteArrayLiteral("HTTP requests, from routing to the answer."), metrics.requestLatency());
    histogram(out, QByteArrayLiteral("marquee_storage_commit_duration_seconds"),
        QByteArrayLiteral("Storage jobs, from being queued to the end of their COMMIT."),
        metrics.commitLatency());
    histogram(out, QByteArrayLiteral("marquee_channel_fanout_duration_seconds"),
        QByteArrayLiteral("Committed changes, from the hand-over to the channels to the last"
                          " subscriber's message queued."),
        metrics.fanOutLatency());
    return out;
}

} // namespace Marquee
