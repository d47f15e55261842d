#include "HoldExpiry.h"

#include "ChannelHub.h"
#include "Clock.h"
#include "Storage.h"

namespace Marquee {

HoldExpiry::HoldExpiry(
    Storage &storage, ChannelHub &hub, const Clock &clock, HoldRules rules, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_hub(hub)
    , m_clock(clock)
    , m_rules(rules)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &HoldExpiry::releaseDue);
}

void HoldExpiry::expect(const QDateTime &at)
{
    if (!m_timer.isActive() || at < m_next)
        schedule(at);
}

void HoldExpiry::releaseDue()
{
    struct Result
    {
        AvailabilityChanges changes;
        std::optional<QDateTime> next;
    };
    const HoldRules rules = m_rules;
    m_storage.run<Result>(
        [rules](StorageSession &s) {
            const HoldService holds(s.db, s.clock, rules);
            Result result{holds.releaseExpired(), {}};
            result.next = holds.nextExpiry();
            return result;
        },
        [this](std::optional<Result> result, const QString &error) {
            if (!result) {
                qWarning("hold expiry: %s", qPrintable(error));
                // Try again soon rather than leave seats locked forever.
                schedule(m_clock.now().addSecs(5));
                return;
            }
            m_hub.publish(result->changes);
            schedule(result->next);
        });
}

void HoldExpiry::schedule(const std::optional<QDateTime> &at)
{
    if (!at) {
        m_timer.stop();
        return;
    }
    m_next = *at;
    // Expiry times have whole seconds; a little slack makes sure the hold is
    // due by the time the job compares it with the clock.
    const qint64 wait = qMax<qint64>(0, m_clock.now().msecsTo(*at)) + 250;
    m_timer.start(int(qMin<qint64>(wait, 24 * 3600 * 1000)));
}

} // namespace Marquee
