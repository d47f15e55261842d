#pragma once

#include "net/ApiClient.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QQueue>
#include <QTimer>

namespace Marquee {

class Clock;

/// One scan at the door and what came of it.
struct DoorScan
{
    enum class Outcome
    {
        Admitted,
        AlreadyIn,
        Revoked,
        WrongEvent,
        Unknown,
        NotACode, ///< what the scanner typed cannot be a ticket's code
        Trouble ///< no verdict (network, server, session): not checked, retry
    };
    Outcome outcome = Outcome::Trouble;
    QString code; ///< as read, trimmed
    QDateTime scannedAt; ///< UTC, the door's clock
    DoorVerdict verdict; ///< the server's, for the outcomes it decides
    QString problem; ///< Trouble: why there is no verdict, in words for people
    /// Admitted although the server said "already in": this door's own
    /// earlier try, whose answer was lost, let it in moments ago.
    bool admittedByLostTry = false;

    bool admitted() const { return outcome == Outcome::Admitted; }
};

/// A door's check-in for one event: scans go to the server one at a time
/// in the order they were read (so the verdict on screen is always the
/// newest scan's and the history is in scan order); a scan read while one
/// is on its way waits in a queue instead of being lost. Keeps the door's
/// "entered N of M" fresh after every verdict and on a timer, since other
/// doors let people in too.
class DoorSession : public QObject
{
    Q_OBJECT

public:
    /// How long a try without an answer may explain a later "already in".
    static constexpr int LostTryWindowSeconds = 120;
    static constexpr int CountsIntervalMs = 5000;

    DoorSession(
        ApiClient *api, const Clock &clock, const EventSummary &event, QObject *parent = nullptr);

    const EventSummary &event() const { return m_event; }
    /// Queues what the scanner typed; empty text is ignored.
    void submit(const QString &text);
    /// Scans read but not decided yet (the one on its way included).
    int pending() const { return m_queue.size() + (m_inFlight.isEmpty() ? 0 : 1); }
    void refreshCounts();

    /// Whether \a text has the form of a ticket code (32 base64url characters).
    static bool isTicketCode(const QString &text);

signals:
    void scanStarted(const QString &code);
    void scanned(const Marquee::DoorScan &scan);
    void pendingChanged(int pending);
    void countsChanged(int entered, int sold);
    void countsFailed(const QString &message);

private:
    void sendNext();
    void finish(const QString &code, const ApiResult<DoorVerdict> &result);
    DoorScan judge(const QString &code, const ApiResult<DoorVerdict> &result);

    ApiClient *m_api;
    const Clock &m_clock;
    EventSummary m_event;
    QQueue<QString> m_queue;
    QString m_inFlight;
    /// A try that got no answer: it may have let the ticket in, so a
    /// retry's "already in" is likely this door's own.
    struct LostTry
    {
        QDateTime at;
        QByteArray key; ///< sent again with the retry
    };
    QHash<QString, LostTry> m_lostTries;
    QByteArray m_inFlightKey;
    QTimer m_countsTimer;
    bool m_countsBusy = false;
    bool m_countsAgain = false;
};

} // namespace Marquee
