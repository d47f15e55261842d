#pragma once

#include "DatabaseConfig.h"
#include "Role.h"

#include <cstdio>

namespace Marquee {

class Clock;

/// `marquee-server --add-user NAME --role ROLE`: reads the password from
/// standard input (one line, so it never shows in `ps` or a shell history),
/// stores its argon2id hash and exits. An existing NAME gets the new
/// password and role.
class AddUserCommand
{
public:
    enum ExitCode
    {
        Done = 0,
        Failed = 1, ///< the database could not be opened or written
        BadInput = 2
    };

    static int run(const DatabaseConfig &database, const Clock &clock, const QString &name,
        Role role, std::FILE *in = stdin, std::FILE *err = stderr);
};

} // namespace Marquee
