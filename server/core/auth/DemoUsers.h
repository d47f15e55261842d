#pragma once

#include <QList>
#include <QString>

namespace Marquee {

class Storage;

/// The demo's staff accounts: clerk, manager and admin, each a user of that
/// name and role with a random password, created once (when the database
/// has no users yet) so that a new user of the demo can sign in.
class DemoUsers
{
public:
    struct Account
    {
        QString name;
        QString password; ///< in clear: shown once, then only its hash exists
    };

    /// Creates the accounts if there are no users yet; returns them with
    /// their passwords, or nothing when users existed. Blocks (hashing is
    /// slow on purpose): for start-up only. Throws StorageError.
    static QList<Account> createOnce(Storage &storage);

    /// A password people can type: 16 letters and digits, ~80 bits.
    static QString newPassword();
};

} // namespace Marquee
