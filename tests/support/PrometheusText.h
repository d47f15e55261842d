#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <optional>

namespace Marquee::Test {

/// A strict reader of the Prometheus text format 0.0.4, as a scraper
/// would read /metrics: every line is "# HELP", "# TYPE" or
/// `name{labels} value`; every sample's metric has a TYPE before it; each
/// histogram's buckets have rising bounds and non-decreasing counts, end
/// in le="+Inf", and +Inf equals _count; _sum is there.
class PrometheusText
{
public:
    using Labels = QMap<QString, QString>;
    struct Sample
    {
        QString name;
        Labels labels;
        double value = 0;
    };

    /// nullopt, with the first problem and its line in \a error, for text
    /// that breaks the format or the histogram rules.
    static std::optional<PrometheusText> parse(const QByteArray &text, QString *error);

    const QList<Sample> &samples() const { return m_samples; }
    /// "counter", "gauge", "histogram", … by metric name; empty if none.
    QString type(const QString &metric) const { return m_types.value(metric); }
    QStringList metrics() const { return m_types.keys(); }
    /// The value of `name{labels}` (exactly those labels), or nullopt.
    std::optional<double> value(const QString &name, const Labels &labels = {}) const;

private:
    bool readLine(const QByteArray &line, QString *error);
    bool checkHistograms(QString *error) const;

    QList<Sample> m_samples;
    QHash<QString, QString> m_types;
};

} // namespace Marquee::Test
