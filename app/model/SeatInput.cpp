#include "SeatInput.h"

#include <QRegularExpression>
#include <QSet>

namespace Marquee {

SeatInput SeatInput::parse(const QString &text, const QStringList &knownLabels)
{
    // Labels are matched without case, as a clerk will not reach for Shift.
    QHash<QString, QString> byUpper;
    for (const QString &label : knownLabels)
        byUpper.insert(label.toUpper(), label);

    static const QRegularExpression separators(QStringLiteral("[\\s,;]+"));
    static const QRegularExpression range(
        QStringLiteral("^([A-Z]+)(\\d+)\\s*-\\s*(?:([A-Z]+))?(\\d+)$"));
    // Ranges may carry spaces around the dash; glue them before splitting.
    static const QRegularExpression spacedDash(QStringLiteral("\\s*-\\s*"));
    const QString glued = text.toUpper().replace(spacedDash, QStringLiteral("-"));

    SeatInput input;
    QSet<QString> seen;
    auto add = [&](const QString &label) {
        if (!seen.contains(label)) {
            seen.insert(label);
            input.seats.append(label);
        }
    };
    const QStringList tokens = glued.split(separators, Qt::SkipEmptyParts);
    for (const QString &token : tokens) {
        if (const auto known = byUpper.constFind(token); known != byUpper.cend()) {
            add(known.value());
            continue;
        }
        const QRegularExpressionMatch match = range.match(token);
        const bool sameRow = match.hasMatch()
            && (match.captured(3).isEmpty() || match.captured(3) == match.captured(1));
        if (!sameRow) {
            input.unknown.append(token);
            continue;
        }
        int from = match.captured(2).toInt();
        int to = match.captured(4).toInt();
        if (from > to)
            std::swap(from, to);
        // No row is that long; a typo like A1-A999 must not expand into a
        // thousand "unknown seat" complaints.
        if (to - from >= 50) {
            input.unknown.append(token);
            continue;
        }
        for (int number = from; number <= to; ++number) {
            const QString label = match.captured(1) + QString::number(number);
            if (const auto known = byUpper.constFind(label); known != byUpper.cend())
                add(known.value());
            else
                input.unknown.append(label);
        }
    }
    return input;
}

} // namespace Marquee
