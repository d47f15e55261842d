#pragma once

#include "AvailabilityChange.h"

#include <QByteArray>
#include <QDateTime>
#include <QStringList>
#include <optional>

namespace Marquee {

/// What one committed transaction (or one savepoint of it) tells the other servers on the same
/// PostgreSQL: its availability changes and the earliest hold expiry it
/// created, in one NOTIFY payload sent inside the transaction (so it is
/// delivered exactly when, and only if, the transaction commits). Changes
/// too big for PostgreSQL's 8000-byte payload go as a note to reload their
/// event instead.
struct ChangeNotice
{
    static constexpr auto Channel = "marquee_changes";

    AvailabilityChanges changes;
    QStringList reload; ///< events to read again from the database
    std::optional<QDateTime> expiry;

    bool isEmpty() const { return changes.isEmpty() && reload.isEmpty() && !expiry; }

    /// The NOTIFY payloads for \a notices, in order: as few as fit them
    /// (a transaction that commits many holds at once sends one or two).
    static QList<QByteArray> encode(const QList<ChangeNotice> &notices);
    /// nullopt for a payload that is not a notice.
    static std::optional<ChangeNotice> decode(const QByteArray &payload);
};

} // namespace Marquee
