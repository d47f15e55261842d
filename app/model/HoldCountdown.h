#pragma once

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <functional>

class QTimer;

namespace Marquee {

class SaleSession;
struct Hold;

/// Counts the sale's holds down against the server's clock: says when one
/// is about to run out (once per expiry, so a renewal warns again later)
/// and, when its time is up, moves it to the sale's lapsed holds so its
/// seats stay listed. Ticks twice a second while anything is held, so the
/// clerk's countdown never lags by more than half a second.
class HoldCountdown : public QObject
{
    Q_OBJECT

public:
    /// Warned this long before a hold runs out: time to ask the customer
    /// and press More time.
    static constexpr qint64 WarningMs = 2 * 60 * 1000;
    /// A hold counts as lapsed this long after its end: the server's
    /// expiry runs a moment after the end, and our idea of its clock is
    /// good to about a second.
    static constexpr qint64 GraceMs = 3000;

    using Now = std::function<QDateTime()>;
    HoldCountdown(SaleSession *sale, Now now, QObject *parent = nullptr);

    /// Milliseconds until \a hold runs out; 0 or less once it has.
    qint64 remainingMs(const Hold &hold) const;
    /// The sale's soonest expiry, in milliseconds; -1 with nothing held.
    qint64 soonestMs() const;
    /// "14:05" for minutes and seconds left; "0:00" once run out.
    static QString format(qint64 ms);

    /// Looks at the clock now (the timer does this on its own).
    void check();

signals:
    /// Every tick, for the countdown on screen.
    void ticked();
    /// \a hold runs out within WarningMs.
    void expiring(const Marquee::Hold &hold);
    /// The holds \a ids ran out and are now the sale's lapsed holds.
    void lapsed(const QStringList &ids);

private:
    void follow();

    SaleSession *m_sale;
    Now m_now;
    QTimer *m_timer;
    QHash<QString, QDateTime> m_warned; ///< hold id -> the expiry it was warned of
};

} // namespace Marquee
