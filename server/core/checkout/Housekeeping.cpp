#include "Housekeeping.h"

#include "CartService.h"
#include "Clock.h"
#include "Sql.h"
#include "Storage.h"

namespace Marquee {

namespace {
constexpr int Batch = 500;
constexpr int MaxBatchesPerRound = 20; ///< the storage thread has other work too
} // namespace

Housekeeping::Housekeeping(Storage &storage, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_clock(clock)
{
    m_timer.setInterval(3600 * 1000);
    m_timer.setTimerType(Qt::VeryCoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] { runOnce(); });
}

void Housekeeping::start()
{
    m_timer.start();
    runOnce();
}

void Housekeeping::runOnce(std::function<void(int)> done)
{
    m_storage.run<int>(
        [](StorageSession &s) {
            const QDateTime now = s.clock.now();
            const CartService carts(s.db, s.clock);
            int purged = 0;
            for (int i = 0; i < MaxBatchesPerRound; ++i) {
                const int batch = carts.purgeAbandoned(now.addSecs(-CartRetentionSeconds), Batch);
                purged += batch;
                if (batch < Batch)
                    break;
            }
            Sql::exec(s.db, QStringLiteral("DELETE FROM counter_sales WHERE created_at < ?"),
                {isoUtc(now.addSecs(-SaleKeyRetentionSeconds))});
            return purged;
        },
        [done](std::optional<int> purged, const QString &error) {
            if (!purged)
                qWarning("housekeeping: %s", qPrintable(error));
            else if (*purged > 0)
                qInfo("housekeeping: removed %d abandoned carts", *purged);
            if (done)
                done(purged.value_or(0));
        });
}

} // namespace Marquee
