#pragma once

#include "net/ApiTypes.h"

#include <QListWidget>
#include <QSet>
#include <QTimer>

namespace Marquee {

/// The events on sale, one two-line entry each (name; date, time and kind).
/// Arrow keys and typing the first letters move through it; the choice is
/// reported after a short pause so arrowing past events does not load each.
class EventList : public QListWidget
{
    Q_OBJECT

public:
    explicit EventList(QWidget *parent = nullptr);

    /// Shows \a events in this order; those in \a today say "Today".
    void setEvents(const QList<EventSummary> &events, const QSet<QString> &today = {});
    /// Replaces the list with a single line of text (loading, error).
    void setPlaceholder(const QString &text);
    std::optional<EventSummary> currentEvent() const;
    std::optional<EventSummary> eventAt(int row) const;

    /// The show's date and time at the venue (\a timeZone, IANA) with the
    /// zone's abbreviation: a counter in another zone shows what the
    /// tickets and the web page say. Empty or unknown zone: this machine's.
    static QString whenText(const QDateTime &startsAt, const QString &timeZone = {});
    /// "Today, 19:30 CET": whenText() for a show of today.
    static QString todayText(const QDateTime &startsAt, const QString &timeZone = {});
    static QString kindText(EventKind kind);

signals:
    void eventChosen(const Marquee::EventSummary &event);

protected:
    void paintEvent(QPaintEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;

private:
    QList<EventSummary> m_events;
    QTimer m_settle;
};

} // namespace Marquee
