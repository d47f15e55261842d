#include "EventList.h"

#include "FocusRing.h"

#include <QLocale>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QTimeZone>

namespace Marquee {

namespace {

constexpr int IndexRole = Qt::UserRole + 1;
constexpr int DetailRole = Qt::UserRole + 2;

/// Draws an entry as a bold name over a quieter detail line.
class EventDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override
    {
        const int line = option.fontMetrics.height();
        return {option.rect.width(), line * 2 + 22};
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt(option);
        initStyleOption(&opt, index);
        const QString detail = index.data(DetailRole).toString();
        if (detail.isEmpty()) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        opt.text.clear();
        opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

        const bool selected = opt.state & QStyle::State_Selected;
        const QPalette::ColorGroup group
            = opt.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive;
        const QColor text
            = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
        QColor quiet = text;
        quiet.setAlphaF(0.7);

        const QRect area = opt.rect.adjusted(12, 9, -10, -9);
        QFont bold = opt.font;
        bold.setBold(true);
        painter->save();
        painter->setFont(bold);
        painter->setPen(text);
        const QFontMetrics boldMetrics(bold);
        painter->drawText(area.left(), area.top() + boldMetrics.ascent(),
            boldMetrics.elidedText(
                index.data(Qt::DisplayRole).toString(), Qt::ElideRight, area.width()));
        painter->setFont(opt.font);
        painter->setPen(quiet);
        painter->drawText(area.left(), area.bottom() - opt.fontMetrics.descent(),
            opt.fontMetrics.elidedText(detail, Qt::ElideRight, area.width()));
        painter->restore();
    }
};

} // namespace

EventList::EventList(QWidget *parent)
    : QListWidget(parent)
{
    setItemDelegate(new EventDelegate(this));
    setSelectionMode(QAbstractItemView::SingleSelection);
    setUniformItemSizes(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setTextElideMode(Qt::ElideRight);
    setWordWrap(true);
    m_settle.setSingleShot(true);
    m_settle.setInterval(180);
    connect(&m_settle, &QTimer::timeout, this, [this] {
        if (const auto event = currentEvent())
            emit eventChosen(*event);
    });
    connect(this, &QListWidget::currentRowChanged, this, [this] { m_settle.start(); });
}

void EventList::paintEvent(QPaintEvent *event)
{
    QListWidget::paintEvent(event);
    if (hasFocus()) {
        QPainter painter(viewport());
        FocusRing::paint(painter, viewport()->rect());
    }
}

void EventList::focusInEvent(QFocusEvent *event)
{
    QListWidget::focusInEvent(event);
    viewport()->update();
}

void EventList::focusOutEvent(QFocusEvent *event)
{
    QListWidget::focusOutEvent(event);
    viewport()->update();
}

QString EventList::whenText(const QDateTime &startsAt, const QString &timeZone)
{
    if (!startsAt.isValid())
        return {};
    const QLocale locale;
    const QTimeZone zone(timeZone.toUtf8());
    const QDateTime local = zone.isValid() ? startsAt.toTimeZone(zone) : startsAt.toLocalTime();
    // Explicit formats: the short locale formats carry seconds in some
    // languages, which only add noise to a show time.
    //: Event date and time in the event list: %1 date, %2 time, %3 the venue's time zone
    return tr("%1, %2 %3")
        .arg(locale.toString(local.date(), tr("ddd d MMM yyyy")),
            locale.toString(local.time(), tr("HH:mm")), local.timeZoneAbbreviation())
        .trimmed();
}

QString EventList::todayText(const QDateTime &startsAt, const QString &timeZone)
{
    const QTimeZone zone(timeZone.toUtf8());
    const QDateTime local = zone.isValid() ? startsAt.toTimeZone(zone) : startsAt.toLocalTime();
    //: A show of today in the event list: %1 time, %2 the venue's time zone
    return tr("Today, %1 %2")
        .arg(QLocale().toString(local.time(), tr("HH:mm")), local.timeZoneAbbreviation())
        .trimmed();
}

QString EventList::kindText(EventKind kind)
{
    return kind == EventKind::Seated ? tr("Seated") : tr("General admission");
}

void EventList::setEvents(const QList<EventSummary> &events, const QSet<QString> &today)
{
    const auto previous = currentEvent();
    m_events = events;
    const QSignalBlocker blocker(this);
    clear();
    setEnabled(true);
    int restore = -1;
    for (int i = 0; i < events.size(); ++i) {
        const EventSummary &event = events.at(i);
        auto *item = new QListWidgetItem(event.name, this);
        item->setData(IndexRole, i);
        QString detail = today.contains(event.slug) ? todayText(event.startsAt, event.timeZone)
                                                    : whenText(event.startsAt, event.timeZone);
        detail += (detail.isEmpty() ? QString() : QStringLiteral(" · ")) + kindText(event.kind);
        item->setData(DetailRole, detail);
        item->setToolTip(event.venue.isEmpty() ? event.name : event.name + u'\n' + event.venue);
        if (previous && previous->slug == event.slug)
            restore = i;
    }
    if (events.isEmpty())
        setPlaceholder(tr("No events on sale."));
    else if (restore >= 0)
        setCurrentRow(restore);
}

void EventList::setPlaceholder(const QString &text)
{
    const QSignalBlocker blocker(this);
    m_events.clear();
    clear();
    auto *item = new QListWidgetItem(text, this);
    item->setFlags(Qt::NoItemFlags);
    item->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
}

std::optional<EventSummary> EventList::currentEvent() const
{
    return eventAt(currentRow());
}

std::optional<EventSummary> EventList::eventAt(int row) const
{
    const QListWidgetItem *item = this->item(row);
    if (!item || !item->data(IndexRole).isValid())
        return std::nullopt;
    const int index = item->data(IndexRole).toInt();
    if (index < 0 || index >= m_events.size())
        return std::nullopt;
    return m_events.at(index);
}

} // namespace Marquee
