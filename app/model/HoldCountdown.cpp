#include "HoldCountdown.h"

#include "SaleSession.h"

#include <QTimer>

namespace Marquee {

HoldCountdown::HoldCountdown(SaleSession *sale, Now now, QObject *parent)
    : QObject(parent)
    , m_sale(sale)
    , m_now(std::move(now))
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(500);
    connect(m_timer, &QTimer::timeout, this, &HoldCountdown::check);
    connect(m_sale, &SaleSession::holdsChanged, this, &HoldCountdown::follow);
    follow();
}

qint64 HoldCountdown::remainingMs(const Hold &hold) const
{
    return m_now().msecsTo(hold.expiresAt);
}

qint64 HoldCountdown::soonestMs() const
{
    qint64 soonest = -1;
    for (const Hold &hold : m_sale->holds()) {
        const qint64 left = qMax<qint64>(0, remainingMs(hold));
        if (soonest < 0 || left < soonest)
            soonest = left;
    }
    return soonest;
}

QString HoldCountdown::format(qint64 ms)
{
    // Rounded up: "0:01" until the very end, never "0:00" while it holds.
    const qint64 seconds = ms <= 0 ? 0 : (ms + 999) / 1000;
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

void HoldCountdown::follow()
{
    if (m_sale->holds().isEmpty()) {
        m_timer->stop();
        m_warned.clear();
    } else if (!m_timer->isActive()) {
        m_timer->start();
    }
}

void HoldCountdown::check()
{
    QStringList due;
    QList<Hold> warn;
    for (const Hold &hold : m_sale->holds()) {
        const qint64 left = remainingMs(hold);
        // Not while a step is on its way, nor while a sale's outcome is
        // unknown: the answer says what became of the hold. And a moment
        // after the end, so that seats held again at once find the
        // server's expiry done.
        if (left <= -GraceMs && !m_sale->isBusy() && !m_sale->isSaleUnsure())
            due.append(hold.id);
        else if (left <= WarningMs && m_warned.value(hold.id) != hold.expiresAt)
            warn.append(hold);
    }
    for (const Hold &hold : std::as_const(warn)) {
        m_warned.insert(hold.id, hold.expiresAt);
        emit expiring(hold);
    }
    if (!due.isEmpty()) {
        for (const QString &id : std::as_const(due))
            m_warned.remove(id);
        m_sale->lapse(due);
        emit lapsed(due);
    }
    emit ticked();
}

} // namespace Marquee
