#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>
#include <memory>
#include <vector>

namespace Marquee::Test {

class RaceClient;

/// What the customers of a race do: how many, on which seats and event, and
/// how often a granted hold is sold at the counter or released.
struct RacePlan
{
    QUrl base;
    QString staffToken;
    QString seatedEvent = QStringLiteral("breakfast-ii");
    QString generalEvent = QStringLiteral("open-air");
    QStringList seats; ///< the contested seats; every hold picks 1–4 of them
    int clients = 200;
    int rounds = 3; ///< carts per client, one after another
    int generalPercent = 30; ///< rounds that hold GA places instead of seats
    int sellPercent = 45; ///< granted holds that are sold at the counter
    int releasePercent = 25; ///< granted holds that are released; the rest stay held
    quint32 seed = 1;
};

/// One hold the server granted (201), with what became of it. Times are
/// nanoseconds since the race started, as this process saw them: the hold
/// was certainly live from grantedAt until releaseSentAt.
struct GrantedHold
{
    QString id;
    QString cart;
    bool seated = true;
    QStringList seats;
    int quantity = 0;
    qint64 grantedAt = 0;
    qint64 releaseSentAt = -1; ///< -1: never released
    bool released = false; ///< the release answered 204
    QString order; ///< set when the counter sale answered 201
    int tickets = 0;
};

/// Every answer of a race, counted.
struct RaceTally
{
    int carts = 0;
    int seatHoldsAttempted = 0;
    int seatHoldsGranted = 0;
    int seatHoldsRefused = 0;
    int placeHoldsAttempted = 0;
    int placeHoldsGranted = 0;
    int placeHoldsRefused = 0;
    int salesAttempted = 0;
    int salesMade = 0;
    int salesRefused = 0;
    int releasesAttempted = 0;
    int releasesDone = 0;
    int failedRequests = 0; ///< no HTTP answer at all (connection refused or lost)
    QStringList unexpected; ///< any other answer, with its body

    int holdsAttempted() const { return seatHoldsAttempted + placeHoldsAttempted; }
    int holdsGranted() const { return seatHoldsGranted + placeHoldsGranted; }
    int holdsRefused() const { return seatHoldsRefused + placeHoldsRefused; }
    int answers() const;
    QString summary() const;
};

/// Many independent customers racing through the real HTTP API at once:
/// each has its own QNetworkAccessManager (so its own connection), creates a
/// cart, tries to hold random seats or places, and sells or releases some of
/// what it got. Everything granted is recorded for the test to compare with
/// the database afterwards.
class Race : public QObject
{
    Q_OBJECT

public:
    explicit Race(RacePlan plan, QObject *parent = nullptr);
    ~Race() override;

    void start();
    bool finished() const { return m_running == 0 && m_started; }

    const RacePlan &plan() const { return m_plan; }
    const RaceTally &tally() const { return m_tally; }
    const QList<GrantedHold> &holds() const { return m_holds; }

    /// Nanoseconds since start().
    qint64 now() const { return m_clock.nsecsElapsed(); }

signals:
    /// After every answer (or failed request).
    void progress();

private:
    friend class RaceClient;

    RacePlan m_plan;
    RaceTally m_tally;
    QList<GrantedHold> m_holds;
    std::vector<std::unique_ptr<RaceClient>> m_clients;
    QElapsedTimer m_clock;
    int m_running = 0;
    bool m_started = false;
};

} // namespace Marquee::Test
