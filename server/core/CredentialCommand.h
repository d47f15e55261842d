#pragma once

#include "Credentials.h"
#include "DatabaseConfig.h"

#include <cstdio>

namespace Marquee {

class Clock;

/// `marquee-server --issue-credential NAME --purpose payments|scanner
/// [--days N]`: prints a new machine credential's token on standard output
/// (the only time it exists in clear) and exits; 1 when the database fails
/// or a live credential already has NAME. Admins can do the same through
/// POST /api/v1/credentials.
class CredentialCommand
{
public:
    static int run(const DatabaseConfig &database, const Clock &clock, const QString &name,
        Credentials::Purpose purpose, int days, std::FILE *out = stdout, std::FILE *err = stderr);
};

} // namespace Marquee
