#include "CredentialCommand.h"

#include "Clock.h"
#include "Storage.h"
#include "Users.h"

namespace Marquee {

int CredentialCommand::run(const DatabaseConfig &database, const Clock &clock, const QString &name,
    Credentials::Purpose purpose, int days, std::FILE *out, std::FILE *err)
{
    if (const QString problem = Users::nameProblem(name); !problem.isEmpty()) {
        std::fprintf(err, "marquee-server: %s\n", qPrintable(problem));
        return 2;
    }
    Storage storage(database, clock);
    QString error;
    if (!storage.open(&error)) {
        std::fprintf(err, "marquee-server: %s\n", qPrintable(error));
        return 1;
    }
    try {
        const auto issued
            = storage.runBlocking<std::optional<Credentials::Issued>>([&](StorageSession &s) {
                  return Credentials(s.db, s.clock)
                      .issue(name, purpose, days, {QStringLiteral("command line"), {}});
              });
        if (!issued) {
            std::fprintf(err,
                "marquee-server: a live credential is named %s already; revoke it first\n",
                qPrintable(name));
            return 1;
        }
        std::fprintf(out, "%s\n", qPrintable(issued->token));
        std::fprintf(err, "Credential %s (%s, id %s) expires %s\n", qPrintable(name),
            qPrintable(Credentials::purposeName(purpose)), qPrintable(issued->credential.id),
            qPrintable(isoUtc(issued->credential.expiresAt)));
    } catch (const StorageError &failure) {
        std::fprintf(err, "marquee-server: %s\n", failure.what());
        return 1;
    }
    return 0;
}

} // namespace Marquee
