#pragma once

#include "AvailabilityChange.h"
#include "DatabaseConfig.h"
#include "Protocol.h"
#include "Race.h"

#include <QHash>
#include <QSqlDatabase>
#include <QVariantList>
#include <limits>

namespace Marquee::Test {

/// The test's own connection to the server's database (opened with the
/// server's openDatabase(), so SQLite and PostgreSQL alike), closed and
/// unregistered when it goes.
class Connection
{
public:
    explicit Connection(const DatabaseConfig &config);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    bool isOpen() const { return m_db.isOpen(); }
    QString error() const { return m_error; }
    const QSqlDatabase &db() const { return m_db; }
    qint64 count(const QString &sql, const QVariantList &values = {}) const;

private:
    QSqlDatabase m_db;
    QString m_error;
};

/// What the database says after a race.
struct Stored
{
    QHash<QString, QString> holds; ///< id -> state
    QHash<QString, QString> orders; ///< id -> state
    QHash<QString, int> orderLines; ///< order -> tickets
    QHash<QString, QString> claims; ///< seat -> "held h_..." or "sold o_..."
    int gaHeld = 0; ///< of the general-admission event asked for
    int gaSold = 0;
    int seatClaimRows = 0;
    AvailabilityChanges availability; ///< as the server loads it at start

    AvailabilityChange availabilityOf(const QString &event) const;
};

Stored readDatabase(const Connection &connection, const QString &generalEvent);

/// A subscriber's view: the snapshot with every update applied in order.
struct Replay
{
    QString problem; ///< empty when the stream was whole and every step legal
    qint64 version = 0;
    int updates = 0;
    QHash<QString, SeatState> seats;
    int available = 0;
    int capacity = 0;
    int lowestAvailable = std::numeric_limits<int>::max();
};

/// Applies \a messages (a snapshot, then updates) and checks that versions
/// are contiguous and that every seat change is one a race can make.
Replay replay(const QList<Protocol::ChannelMessage> &messages);

/// Proof from the customers' side alone: a hold was certainly live from the
/// moment its 201 arrived until its release was sent (or forever). If two
/// such intervals on one seat overlap, the seat had two live claims. Empty
/// when none do.
QString overlappingSeatHolds(const QList<GrantedHold> &holds);

/// The most GA places that were certainly held or sold at one moment.
int mostPlacesAtOnce(const QList<GrantedHold> &holds);

} // namespace Marquee::Test
