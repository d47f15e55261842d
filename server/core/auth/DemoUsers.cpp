#include "DemoUsers.h"

#include "Passwords.h"
#include "Storage.h"
#include "Users.h"

#include <QRandomGenerator>

namespace Marquee {

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
    QList<Account> accounts;
    QList<std::pair<QString, Role>> roles{{QStringLiteral("clerk"), Role::Clerk},
        {QStringLiteral("manager"), Role::Manager}, {QStringLiteral("admin"), Role::Admin}};
    for (const auto &[name, role] : roles) {
        const Account account{name, newPassword()};
        const QString hash = Passwords::hash(account.password);
        storage.runBlocking<bool>([name = name, role = role, hash](StorageSession &s) {
            return Users(s.db, s.clock).save(name, hash, role);
        });
        accounts.append(account);
    }
    return accounts;
}

} // namespace Marquee
