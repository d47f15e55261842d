#pragma once

#include <QObject>
#include <QTimer>
#include <functional>

namespace Marquee {

class Clock;
class Storage;

/// Keeps the database from growing with what nobody needs any more: carts
/// that expired a day ago without becoming an order (with their released
/// holds) and counter-sale idempotency keys older than a week. Runs at
/// start and then hourly, in batches, so no transaction grows large.
class Housekeeping : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 CartRetentionSeconds = 24 * 3600;
    static constexpr qint64 SaleKeyRetentionSeconds = 7 * 24 * 3600;

    Housekeeping(Storage &storage, const Clock &clock, QObject *parent = nullptr);

    void start();
    /// One round now; \a done (if set) gets the number of carts purged.
    void runOnce(std::function<void(int)> done = {});

private:
    Storage &m_storage;
    const Clock &m_clock;
    QTimer m_timer;
};

} // namespace Marquee
