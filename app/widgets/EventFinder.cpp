#include "EventFinder.h"

#include "EventList.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QTimeZone>
#include <QVBoxLayout>
#include <algorithm>

namespace Marquee {

namespace {

/// Lower case without accents: "Müller" is found by "muller" too.
QString folded(const QString &text)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_KD).toCaseFolded();
    QString plain;
    plain.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (c == QChar(0x00df)) // ß: Qt's folding keeps it, a clerk types "ss"
            plain.append(QStringLiteral("ss"));
        else if (c.category() != QChar::Mark_NonSpacing)
            plain.append(c);
    }
    return plain;
}

QDateTime atVenue(const QDateTime &time, const QString &timeZone)
{
    const QTimeZone zone(timeZone.toUtf8());
    return zone.isValid() ? time.toTimeZone(zone) : time.toLocalTime();
}

} // namespace

EventFinder::EventFinder(QWidget *parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_list(new EventList(this))
{
    m_search->setPlaceholderText(tr("Find a show: name, venue or date"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);
    connect(m_search, &QLineEdit::textChanged, this, &EventFinder::applyFilter);
    connect(m_search, &QLineEdit::returnPressed, this, &EventFinder::finished);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
}

bool EventFinder::isToday(const EventSummary &event, const QDateTime &now)
{
    return event.startsAt.isValid()
        && atVenue(event.startsAt, event.timeZone).date() == atVenue(now, event.timeZone).date();
}

bool EventFinder::matches(const EventSummary &event, const QString &words, const QDateTime &now)
{
    QStringList haystack{event.name, event.venue,
        EventList::whenText(event.startsAt, event.timeZone),
        atVenue(event.startsAt, event.timeZone).date().toString(Qt::ISODate)};
    if (isToday(event, now))
        haystack << tr("today") << QStringLiteral("today");
    const QString text = folded(haystack.join(u' '));
    const QStringList needles = folded(words).split(u' ', Qt::SkipEmptyParts);
    return std::all_of(needles.cbegin(), needles.cend(),
        [&text](const QString &needle) { return text.contains(needle); });
}

void EventFinder::setEvents(const QList<EventSummary> &events, const QDateTime &now)
{
    m_now = now;
    m_events = events;
    // Today's shows first, then the rest in time order, past ones last.
    std::stable_sort(
        m_events.begin(), m_events.end(), [&now](const EventSummary &a, const EventSummary &b) {
            const auto rank = [&now](const EventSummary &event) {
                if (isToday(event, now))
                    return 0;
                return event.startsAt < now ? 2 : 1;
            };
            const int left = rank(a);
            const int right = rank(b);
            return left != right ? left < right : a.startsAt < b.startsAt;
        });
    QSet<QString> today;
    for (const EventSummary &event : std::as_const(m_events)) {
        if (isToday(event, now))
            today.insert(event.slug);
    }
    m_list->setEvents(m_events, today);
    applyFilter();
}

void EventFinder::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void EventFinder::applyFilter()
{
    const QString words = m_search->text();
    for (int row = 0; row < m_list->count(); ++row) {
        const auto event = m_list->eventAt(row);
        m_list->setRowHidden(row, event && !matches(*event, words, m_now));
    }
}

void EventFinder::step(int rows)
{
    // Through the events left visible, from the current one.
    int row = m_list->currentRow();
    for (int moved = 0; moved != rows;) {
        const int next = row + (rows > 0 ? 1 : -1);
        if (next < 0 || next >= m_list->count())
            break;
        row = next;
        if (!m_list->isRowHidden(row))
            moved += rows > 0 ? 1 : -1;
    }
    if (row >= 0 && row < m_list->count() && !m_list->isRowHidden(row))
        m_list->setCurrentRow(row);
}

bool EventFinder::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        switch (static_cast<QKeyEvent *>(event)->key()) {
        case Qt::Key_Down:
            step(1);
            return true;
        case Qt::Key_Up:
            step(-1);
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace Marquee
