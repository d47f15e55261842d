#include "DemoUsers.h"

#include "Passwords.h"
#include "Sql.h"
#include "Storage.h"
#include "Users.h"

#include <QRandomGenerator>

namespace Marquee {

namespace {

constexpr qint64 UsersLock = 0x4d61727175656533; // "Marquee3"; see DemoSeeder's

} // namespace

QString DemoUsers::newPassword()
{
    // No 0/O, 1/l/I: read off a terminal and typed at a counter.
    static const QString alphabet = QStringLiteral("abcdefghijkmnpqrstuvwxyz23456789");
    QString password;
    for (int i = 0; i < 16; ++i) {
        password.append(alphabet.at(int(QRandomGenerator::system()->bounded(alphabet.size()))));
        if (i % 4 == 3 && i < 15)
            password.append(u'-');
    }
    return password;
}

QList<DemoUsers::Account> DemoUsers::createOnce(Storage &storage)
{
    const bool none = storage.runBlocking<bool>(
        [](StorageSession &s) { return Users(s.db, s.clock).count() == 0; });
    if (!none)
        return {};
    // Hashed before the storage job, which would otherwise hold the lock
    // (and every other job) for the slow hashing.
    QList<Account> accounts;
    QList<std::tuple<QString, Role, QString>> rows;
    for (const auto &[name, role] : {std::pair{QStringLiteral("clerk"), Role::Clerk},
             std::pair{QStringLiteral("manager"), Role::Manager},
             std::pair{QStringLiteral("admin"), Role::Admin}}) {
        const Account account{name, newPassword()};
        rows.append({name, role, Passwords::hash(account.password)});
        accounts.append(account);
    }
    // All three or none, and only if no other server started at the same
    // time got there first: its passwords are the ones it printed.
    const bool created = storage.runBlocking<bool>([rows](StorageSession &s) {
        Transaction transaction(s.db);
        Sql::lockUntilCommit(s.db, UsersLock);
        const Users users(s.db, s.clock);
        if (users.count() != 0)
            return false;
        for (const auto &[name, role, hash] : rows)
            users.save(name, hash, role); // a savepoint in this transaction
        transaction.commit();
        return true;
    });
    return created ? accounts : QList<Account>{};
}

} // namespace Marquee
