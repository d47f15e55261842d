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
    // A run in progress may have read the next expiry before this hold
    // existed; its result must not cancel what we heard meanwhile.
    if (m_running && (!m_heardDuringRun || at < *m_heardDuringRun))
        m_heardDuringRun = at;
    if (!m_timer.isActive() || at < m_next)
        schedule(at);
}

void HoldExpiry::releaseDue()
{
    if (m_running) {
        m_runAgain = true; // one run at a time; the next starts when it ends
        return;
    }
    m_running = true;
    m_heardDuringRun.reset();
    const QDateTime now = m_clock.now();
    QStringList waiting; // failed recently: not yet again
    for (auto it = m_retry.cbegin(); it != m_retry.cend(); ++it) {
        if (it.value() > now)
            waiting.append(it.key());
    }
    const HoldRules rules = m_rules;
    m_storage.run<Run>(
        [rules, waiting](StorageSession &s) {
            const HoldService holds(s.db, s.clock, rules);
            Run run;
            for (const QString &id : holds.dueHolds()) {
                if (waiting.contains(id))
                    continue;
                try {
                    const auto freed = holds.releaseExpired(id);
                    if (freed) {
                        run.changes.append(*freed);
                        ++run.released;
                    } else {
                        run.busy.append(id);
                    }
                } catch (const StorageError &failure) {
                    run.failed.insert(id, QString::fromStdString(failure.what()));
                }
            }
            QStringList skip = waiting;
            skip.append(run.failed.keys());
            skip.append(run.busy);
            try {
                run.next = holds.nextExpiry(skip);
            } catch (const StorageError &failure) {
                // What was released is committed and must still be announced.
                run.failed.insert(QString(), QString::fromStdString(failure.what()));
            }
            return run;
        },
        [this](std::optional<Run> run, const QString &error) {
            m_running = false;
            if (!run) {
                // The database itself failed (not one hold): try again soon
                // rather than leave seats locked.
                qWarning("hold expiry: %s", qPrintable(error));
                schedule(m_clock.now().addSecs(RetrySeconds));
            } else {
                finish(*run);
            }
            if (std::exchange(m_runAgain, false))
                releaseDue();
        });
}

void HoldExpiry::finish(const Run &run)
{
    m_hub.publish(run.changes);
    if (run.released > 0)
        emit released(run.released);
    const QDateTime now = m_clock.now();
    // Holds released now no longer need a retry; the failed ones get one.
    for (auto it = m_retry.begin(); it != m_retry.end();) {
        if (it.value() <= now && !run.failed.contains(it.key()))
            it = m_retry.erase(it);
        else
            ++it;
    }
    for (auto it = run.failed.cbegin(); it != run.failed.cend(); ++it) {
        qWarning("hold expiry: %s failed, trying again in %d s: %s",
            it.key().isEmpty() ? "reading the next expiry"
                               : qPrintable(QStringLiteral("releasing ") + it.key()),
            RetrySeconds, qPrintable(it.value()));
        m_retry.insert(it.key(), now.addSecs(RetrySeconds));
    }
    // Holds another transaction had locked (being sold, paid or released by
    // another server): looked at again a little later, not at once.
    for (const QString &id : run.busy)
        m_retry.insert(id, now.addSecs(RetrySeconds));
    std::optional<QDateTime> next = run.next;
    if (m_heardDuringRun && (!next || *m_heardDuringRun < *next))
        next = m_heardDuringRun;
    for (const QDateTime &retry : std::as_const(m_retry)) {
        if (!next || retry < *next)
            next = retry;
    }
    schedule(next);
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
