#include "PrometheusText.h"

#include <QRegularExpression>
#include <cmath>
#include <limits>

namespace Marquee::Test {

namespace {

const QRegularExpression sampleLine(
    QStringLiteral(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$)"));
const QRegularExpression typeLine(QStringLiteral(
    R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)"));
const QRegularExpression helpLine(QStringLiteral(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$)"));
const QRegularExpression labelName(QStringLiteral(R"(^[a-zA-Z_][a-zA-Z0-9_]*$)"));

std::optional<double> number(const QString &text)
{
    if (text == QLatin1String("+Inf"))
        return std::numeric_limits<double>::infinity();
    if (text == QLatin1String("-Inf"))
        return -std::numeric_limits<double>::infinity();
    if (text == QLatin1String("NaN"))
        return std::numeric_limits<double>::quiet_NaN();
    bool ok = false;
    const double value = text.toDouble(&ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

/// `a="x",b="y\"z"` into labels; false for anything else.
bool readLabels(const QString &text, PrometheusText::Labels *labels)
{
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype equals = text.indexOf(u'=', i);
        if (equals < 0 || equals + 1 >= text.size() || text.at(equals + 1) != u'"')
            return false;
        const QString name = text.mid(i, equals - i);
        if (!labelName.match(name).hasMatch() || labels->contains(name))
            return false;
        QString value;
        qsizetype j = equals + 2;
        for (; j < text.size() && text.at(j) != u'"'; ++j) {
            if (text.at(j) != u'\\') {
                value += text.at(j);
                continue;
            }
            if (++j >= text.size())
                return false;
            const QChar escaped = text.at(j);
            if (escaped == u'n')
                value += u'\n';
            else if (escaped == u'\\' || escaped == u'"')
                value += escaped;
            else
                return false;
        }
        if (j >= text.size())
            return false;
        labels->insert(name, value);
        i = j + 1;
        if (i < text.size() && text.at(i++) != u',')
            return false;
    }
    return true;
}

/// The metric a sample belongs to: a histogram's _bucket, _sum and _count
/// belong to the histogram.
QString family(const QString &sample, const QHash<QString, QString> &types)
{
    for (const QLatin1String suffix :
        {QLatin1String("_bucket"), QLatin1String("_sum"), QLatin1String("_count")}) {
        if (sample.endsWith(suffix)) {
            const QString base = sample.chopped(suffix.size());
            if (types.value(base) == QLatin1String("histogram"))
                return base;
        }
    }
    return sample;
}

} // namespace

std::optional<PrometheusText> PrometheusText::parse(const QByteArray &text, QString *error)
{
    PrometheusText parsed;
    if (!text.endsWith('\n')) {
        *error = QStringLiteral("the text does not end with a line feed");
        return std::nullopt;
    }
    const QList<QByteArray> lines = text.chopped(1).split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        if (!parsed.readLine(lines.at(n), error)) {
            *error = QStringLiteral("line %1: %2: %3")
                         .arg(n + 1)
                         .arg(*error, QString::fromUtf8(lines.at(n)));
            return std::nullopt;
        }
    }
    if (!parsed.checkHistograms(error))
        return std::nullopt;
    return parsed;
}

bool PrometheusText::readLine(const QByteArray &raw, QString *error)
{
    const QString line = QString::fromUtf8(raw);
    if (line.startsWith(u'#')) {
        if (const auto type = typeLine.match(line); type.hasMatch()) {
            if (m_types.contains(type.captured(1)))
                return *error = QStringLiteral("a second TYPE"), false;
            m_types.insert(type.captured(1), type.captured(2));
            return true;
        }
        if (helpLine.match(line).hasMatch())
            return true;
        return *error = QStringLiteral("a comment that is neither HELP nor TYPE"), false;
    }
    const auto match = sampleLine.match(line);
    if (!match.hasMatch())
        return *error = QStringLiteral("not name{labels} value"), false;
    Sample sample{match.captured(1), {}, 0};
    const auto value = number(match.captured(3));
    if (!value)
        return *error = QStringLiteral("the value is not a number"), false;
    sample.value = *value;
    if (!readLabels(match.captured(2), &sample.labels))
        return *error = QStringLiteral("labels that do not parse"), false;
    if (!m_types.contains(family(sample.name, m_types)))
        return *error = QStringLiteral("a sample without a TYPE before it"), false;
    m_samples.append(sample);
    return true;
}

bool PrometheusText::checkHistograms(QString *error) const
{
    for (auto type = m_types.cbegin(); type != m_types.cend(); ++type) {
        if (type.value() != QLatin1String("histogram"))
            continue;
        const QString name = type.key();
        // Buckets in the order written, per series (the labels but le).
        struct Series
        {
            Labels labels;
            QList<std::pair<double, double>> buckets; ///< le, count
        };
        QMap<QString, Series> all;
        for (const Sample &sample : m_samples) {
            if (sample.name != name + QLatin1String("_bucket"))
                continue;
            Labels labels = sample.labels;
            const auto le = number(labels.take(QStringLiteral("le")));
            if (!le)
                return *error = name + QStringLiteral(": a bucket without a numeric le"), false;
            QString key;
            for (auto it = labels.cbegin(); it != labels.cend(); ++it)
                key += it.key() + u'=' + it.value() + u'\x1f';
            all[key].labels = labels;
            all[key].buckets.append({*le, sample.value});
        }
        if (all.isEmpty())
            return *error = name + QStringLiteral(": no buckets"), false;
        for (const Series &series : std::as_const(all)) {
            const auto &list = series.buckets;
            for (qsizetype i = 1; i < list.size(); ++i) {
                if (!(list.at(i).first > list.at(i - 1).first))
                    return *error = name + QStringLiteral(": bucket bounds do not rise"), false;
                if (list.at(i).second < list.at(i - 1).second)
                    return *error = name + QStringLiteral(": bucket counts fall"), false;
            }
            if (!std::isinf(list.last().first))
                return *error = name + QStringLiteral(": the last bucket is not +Inf"), false;
            const auto count = value(name + QLatin1String("_count"), series.labels);
            if (!count || *count != list.last().second)
                return *error = name + QStringLiteral(": _count is not the +Inf bucket"), false;
            if (!value(name + QLatin1String("_sum"), series.labels))
                return *error = name + QStringLiteral(": no _sum"), false;
        }
    }
    return true;
}

std::optional<double> PrometheusText::value(const QString &name, const Labels &labels) const
{
    for (const Sample &sample : m_samples) {
        if (sample.name == name && sample.labels == labels)
            return sample.value;
    }
    return std::nullopt;
}

} // namespace Marquee::Test
