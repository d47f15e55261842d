#pragma once

#include "DatabaseConfig.h"

#include <cstdio>

namespace Marquee {

class Clock;

/// `marquee-server --check`: opens the database, runs InvariantsCheck and
/// prints its report, for an operator or a script that needs an exit code.
class CheckCommand
{
public:
    enum ExitCode
    {
        Clean = 0,
        Violations = 1,
        CannotCheck = 2
    };

    /// The report goes to \a out, a database that cannot be opened or read
    /// to \a err.
    static int run(const DatabaseConfig &database, const Clock &clock, std::FILE *out = stdout,
        std::FILE *err = stderr);
};

} // namespace Marquee
