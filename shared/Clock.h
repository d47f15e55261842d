#pragma once

#include <QDateTime>

namespace Marquee {

/// Where services get the time from. Production uses SystemClock; tests use
/// ManualClock and advance it instead of sleeping, so expiry is testable to
/// the millisecond.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0;
};

class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
};

/// Thread-safe: services read it on the storage thread while a test moves it
/// on the main thread.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(QDateTime start = QDateTime(QDate(2026, 12, 1), QTime(18, 0), Qt::UTC))
        : m_msecs(start.toMSecsSinceEpoch())
    {
    }
    QDateTime now() const override
    {
        return QDateTime::fromMSecsSinceEpoch(m_msecs.loadAcquire(), Qt::UTC);
    }
    void advance(qint64 msecs) { m_msecs.fetchAndAddOrdered(msecs); }

private:
    QAtomicInteger<qint64> m_msecs;
};

/// The one text form of a time in the database and the API.
inline QString isoUtc(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate);
}

} // namespace Marquee
