#pragma once

#include "Clock.h"
#include "model/DoorSession.h"
#include "net/ApiTypes.h"

#include <QFrame>
#include <QLabel>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLineEdit;
class QListWidget;
class QStackedWidget;

namespace Marquee {

class ApiClient;

/// The big verdict at the door, readable from a metre away: green with
/// a tick and the seat for a ticket let in, red with a cross and the
/// reason for a refusal, amber with a warning sign when the server gave
/// no verdict. The words and marks say it too, for staff who cannot tell
/// the colours apart.
class DoorResultPanel : public QFrame
{
    Q_OBJECT

public:
    enum class Look
    {
        Ready,
        Checking,
        Admitted,
        Refused,
        Trouble
    };

    explicit DoorResultPanel(QWidget *parent = nullptr);

    void showReady();
    void showChecking();
    /// \a timeZone is the door event's, for tickets that do not name theirs.
    void showScan(const DoorScan &scan, const QString &timeZone);

    Look look() const { return m_look; }
    QString verdictText() const { return m_verdict->text(); }
    QString mainText() const { return m_main->text(); }
    QString detailText() const { return m_detail->text(); }

    /// "Row C · Seat 12" for a row-and-number label, "Seat <label>"
    /// otherwise, "General admission" without a seat.
    static QString seatText(const QString &seat);
    /// The seat and category of a ticket the server described; empty if not.
    static QString ticketText(const DoorTicket &ticket);
    /// The mark and words one scan gets in the history list.
    static QString historyText(const DoorScan &scan, const QString &timeZone);
    /// \a utc in the venue's zone (the terminal's own if \a zone is unknown).
    static QDateTime inZone(const QDateTime &utc, const QString &zone);

private:
    void setLook(Look look, const QString &verdict, const QString &main, const QString &detail);
    /// \a utc as a time in \a zone, with the day unless it is \a now's.
    static QString timeText(const QDateTime &utc, const QString &zone, const QDateTime &now);

    Look m_look = Look::Ready;
    QLabel *m_verdict;
    QLabel *m_main;
    QLabel *m_detail;
};

/// Door check-in, a window of its own: first the event this door admits
/// to (the counter's by default), then one input line that always has the
/// focus — a hand-held scanner types the code and Enter into it — over the
/// big verdict, the door's "entered N of M" and the last scans. Everything
/// by keyboard: Ctrl+F picks another event, Escape goes back to selling.
class DoorView : public QWidget
{
    Q_OBJECT

public:
    /// Newest first; older scans drop off the list.
    static constexpr int HistoryLength = 8;
    /// A verdict left on screen would be read as the next guest's.
    static constexpr int VerdictShownMs = 15'000;

    DoorView(ApiClient *api, const QString &preferredEvent, QWidget *parent = nullptr,
        const Clock *clock = nullptr);

    QLineEdit *scanField() const { return m_scan; }
    DoorResultPanel *resultPanel() const { return m_result; }
    QLabel *countsLabel() const { return m_counts; }
    QListWidget *history() const { return m_history; }
    QListWidget *eventPicker() const { return m_picker; }
    /// The door's session once an event is chosen.
    DoorSession *session() const { return m_session; }

signals:
    /// The audible cue of a verdict: 1 beep let in, 2 no verdict, 3 refused.
    void cueSounded(int beeps);

protected:
    void showEvent(QShowEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    /// The door event's IANA zone, empty without a session.
    QString venueZone() const;
    QWidget *makePickerPage();
    QWidget *makeScanPage();
    void makeActions();
    void loadEvents();
    void showPicker();
    void startDoor();
    void submitScan();
    void onScanned(const DoorScan &scan);
    void onPending(int pending);
    void addHistory(const DoorScan &scan);
    void playCue(const DoorScan &scan);

    ApiClient *m_api;
    SystemClock m_systemClock;
    const Clock &m_clock;
    QString m_preferred;
    QList<EventSummary> m_events;
    QPointer<DoorSession> m_session;

    QStackedWidget *m_pages;
    QListWidget *m_picker;
    QLabel *m_eventTitle;
    QLabel *m_eventWhen;
    QLabel *m_counts;
    QLineEdit *m_scan;
    QLabel *m_status;
    DoorResultPanel *m_result;
    QListWidget *m_history;
    QTimer m_verdictTimer;
};

} // namespace Marquee
