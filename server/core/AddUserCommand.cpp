#include "AddUserCommand.h"

#include "Passwords.h"
#include "Storage.h"
#include "Users.h"

#include <QIODevice>
#include <QTextStream>

namespace Marquee {

namespace {

QString readLine(std::FILE *in)
{
    QTextStream stream(in, QIODevice::ReadOnly);
    QString line = stream.readLine(4096);
    if (line.endsWith(u'\r'))
        line.chop(1);
    return line;
}

} // namespace

int AddUserCommand::run(const DatabaseConfig &database, const Clock &clock, const QString &name,
    Role role, std::FILE *in, std::FILE *err)
{
    if (const QString problem = Users::nameProblem(name); !problem.isEmpty()) {
        std::fprintf(err, "marquee-server: %s\n", qPrintable(problem));
        return BadInput;
    }
    const QString password = readLine(in);
    if (const QString problem = Passwords::problem(password); !problem.isEmpty()) {
        std::fprintf(err, "marquee-server: %s (read from standard input)\n", qPrintable(problem));
        return BadInput;
    }
    const QString hash = Passwords::hash(password);
    if (hash.isEmpty()) {
        std::fprintf(err, "marquee-server: the password could not be hashed (out of memory?)\n");
        return Failed;
    }
    Storage storage(database, clock);
    QString error;
    if (!storage.open(&error)) {
        std::fprintf(err, "marquee-server: %s\n", qPrintable(error));
        return Failed;
    }
    try {
        const bool created = storage.runBlocking<bool>(
            [&](StorageSession &s) { return Users(s.db, s.clock).save(name, hash, role); });
        std::fprintf(err, "%s user %s (%s)\n", created ? "Created" : "Updated", qPrintable(name),
            qPrintable(roleName(role)));
    } catch (const StorageError &failure) {
        std::fprintf(err, "marquee-server: %s\n", failure.what());
        return Failed;
    }
    return Done;
}

} // namespace Marquee
