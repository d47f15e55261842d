#pragma once

#include <QSqlDatabase>

namespace Marquee {

class Clock;

/// Creates the demo venue and its two events, once: the seated
/// "Breakfast: A Sequel Called Lunch" (breakfast-ii, 160 seats in rows A–J,
/// two price categories, four house seats blocked) and the general-admission
/// "Open Air" (open-air, 500 places).
class DemoSeeder
{
public:
    /// Returns true when it created the data, false when it was there.
    static bool seed(const QSqlDatabase &db, const Clock &clock);
    /// The 20,000-seat "arena" (own venue), which only `--demo` adds: the
    /// tests' demo databases stay small.
    static bool seedArena(const QSqlDatabase &db, const Clock &clock);
};

} // namespace Marquee
