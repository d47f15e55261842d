#pragma once

#include <QStringList>

namespace Marquee {

/// Reads seats typed by the clerk: "A3 A4", "a3, a4" or a range in one row,
/// "A3-A6" (also "A3-6"). Keeps the keyboard as fast as the mouse.
struct SeatInput
{
    QStringList seats; ///< known labels, in typed order, without repeats
    QStringList unknown; ///< what did not name a seat of the plan

    static SeatInput parse(const QString &text, const QStringList &knownLabels);
};

} // namespace Marquee
