#pragma once

#include "net/ApiTypes.h"

#include <QDateTime>
#include <QWidget>

class QLineEdit;

namespace Marquee {

class EventList;

/// The left column of the counter: a search line over the event list.
/// Today's performances come first; typing narrows the list to the events
/// whose name, venue or date has every word typed ("bre 22 dec", "today").
/// Up and Down in the search line move through the list, so a clerk can
/// type, arrow and sell without touching the mouse.
class EventFinder : public QWidget
{
    Q_OBJECT

public:
    explicit EventFinder(QWidget *parent = nullptr);

    EventList *list() const { return m_list; }
    QLineEdit *search() const { return m_search; }

    /// Shows \a events, today's first by \a now (the server's clock).
    void setEvents(const QList<EventSummary> &events, const QDateTime &now);
    /// Puts the cursor in the search line, its text selected.
    void focusSearch();

    /// Whether \a event matches every word of \a words, by name, venue,
    /// the date as shown, the ISO date, or "today".
    static bool matches(const EventSummary &event, const QString &words, const QDateTime &now);
    /// \a event starts on \a now's day at its venue.
    static bool isToday(const EventSummary &event, const QDateTime &now);

signals:
    /// Return in the search line: the clerk is done finding.
    void finished();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyFilter();
    void step(int rows);

    QLineEdit *m_search;
    EventList *m_list;
    QList<EventSummary> m_events;
    QDateTime m_now;
};

} // namespace Marquee
