#include "DoorView.h"

#include "net/ApiClient.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QTimeZone>
#include <QVBoxLayout>

namespace Marquee {

namespace {

QFont scaled(const QWidget *widget, qreal factor, bool bold = false)
{
    QFont font = widget->font();
    font.setPointSizeF(font.pointSizeF() * factor);
    font.setBold(bold);
    return font;
}

QLabel *label(QWidget *parent, qreal factor, bool bold = false)
{
    auto *text = new QLabel(parent);
    text->setFont(scaled(parent, factor, bold));
    text->setWordWrap(true);
    return text;
}

/// Background and text of each look: strong colours with white text for
/// verdicts, calm ones while waiting.
std::pair<QColor, QColor> colours(DoorResultPanel::Look look)
{
    switch (look) {
    case DoorResultPanel::Look::Admitted:
        return {QColor(0x15, 0x80, 0x3d), Qt::white};
    case DoorResultPanel::Look::Refused:
        return {QColor(0xb9, 0x1c, 0x1c), Qt::white};
    case DoorResultPanel::Look::Trouble:
        return {QColor(0xb4, 0x53, 0x09), Qt::white};
    case DoorResultPanel::Look::Checking:
        return {QColor(0xdb, 0xe4, 0xf0), QColor(0x1e, 0x29, 0x3b)};
    case DoorResultPanel::Look::Ready:
        break;
    }
    return {QColor(0xe7, 0xe5, 0xe4), QColor(0x44, 0x40, 0x3c)};
}

} // namespace

DoorResultPanel::DoorResultPanel(QWidget *parent)
    : QFrame(parent)
    // Sized to be read from a metre away: the verdict first, then the seat.
    , m_verdict(label(this, 7.0, true))
    , m_main(label(this, 3.6, true))
    , m_detail(label(this, 2.2))
{
    setAutoFillBackground(true);
    setFocusPolicy(Qt::NoFocus);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(32, 24, 32, 24);
    layout->addStretch(1);
    for (QLabel *text : {m_verdict, m_main, m_detail}) {
        text->setAlignment(Qt::AlignCenter);
        layout->addWidget(text);
    }
    layout->addStretch(1);
    m_verdict->setObjectName(QStringLiteral("doorVerdict"));
    m_main->setObjectName(QStringLiteral("doorMain"));
    m_detail->setObjectName(QStringLiteral("doorDetail"));
    showReady();
}

void DoorResultPanel::setLook(
    Look look, const QString &verdict, const QString &main, const QString &detail)
{
    m_look = look;
    const auto [background, text] = colours(look);
    QPalette palette = this->palette();
    palette.setColor(QPalette::Window, background);
    palette.setColor(QPalette::WindowText, text);
    setPalette(palette);
    m_verdict->setText(verdict);
    m_main->setText(main);
    m_detail->setText(detail);
    m_detail->setVisible(!detail.isEmpty());
}

void DoorResultPanel::showReady()
{
    setLook(Look::Ready, tr("Ready"), tr("Scan the next ticket."), QString());
}

void DoorResultPanel::showChecking()
{
    setLook(Look::Checking, tr("Checking…"), QString(), QString());
}

QDateTime DoorResultPanel::inZone(const QDateTime &utc, const QString &zone)
{
    const QTimeZone venue(zone.toUtf8());
    return venue.isValid() ? utc.toTimeZone(venue) : utc.toLocalTime();
}

QString DoorResultPanel::timeText(const QDateTime &utc, const QString &zone, const QDateTime &now)
{
    const QDateTime local = inZone(utc, zone);
    const QLocale locale;
    const QString time = locale.toString(local.time(), tr("HH:mm"));
    // Entries from another day are the likelier mix-up: name the day.
    if (local.date() == inZone(now, zone).date())
        return time;
    //: A check-in time on another day: %1 date, %2 time
    return tr("%1 at %2").arg(locale.toString(local.date(), tr("ddd d MMM")), time);
}

QString DoorResultPanel::seatText(const QString &seat)
{
    if (seat.isEmpty())
        return tr("General admission");
    static const QRegularExpression rowAndNumber(QStringLiteral("^([A-Za-z]{1,3})(\\d{1,4})$"));
    const QRegularExpressionMatch match = rowAndNumber.match(seat);
    if (!match.hasMatch())
        return tr("Seat %1").arg(seat);
    //: A seat at the door: %1 row, %2 seat number
    return tr("Row %1 · Seat %2").arg(match.captured(1), match.captured(2));
}

QString DoorResultPanel::ticketText(const DoorTicket &ticket)
{
    // A refusal may come without the ticket: then there is nothing to add.
    if (ticket.code.isEmpty())
        return {};
    const QString seat = seatText(ticket.seat);
    return ticket.categoryName.isEmpty() ? seat
                                         : seat + QStringLiteral(" · ") + ticket.categoryName;
}

void DoorResultPanel::showScan(const DoorScan &scan, const QString &timeZone)
{
    using Outcome = DoorScan::Outcome;
    const DoorTicket &ticket = scan.verdict.ticket;
    const QString zone = ticket.timeZone.isEmpty() ? timeZone : ticket.timeZone;
    const QString seat = seatText(ticket.seat);
    switch (scan.outcome) {
    case Outcome::Admitted:
        return setLook(Look::Admitted, tr("✓ OK"), seat,
            scan.admittedByLostTry ? tr("%1 · let in by the try just before, whose answer was lost")
                                         .arg(ticket.categoryName)
                                   : ticket.categoryName);
    case Outcome::AlreadyIn: {
        // A double read, or a scan whose first answer got lost, shows up as
        // "already in" seconds later: the attendant knows if it was this guest.
        const QDateTime &at = scan.verdict.at;
        const bool recent = at.isValid() && qAbs(at.secsTo(scan.scannedAt)) < 60;
        return setLook(Look::Refused, tr("✗ ALREADY IN"),
            at.isValid()
                ? tr("This ticket was checked in at %1.").arg(timeText(at, zone, scan.scannedAt))
                : tr("This ticket was checked in before."),
            recent ? ticketText(ticket) + u'\n'
                    + tr("Seconds ago: scanned twice? Then this guest is in.")
                   : ticketText(ticket));
    }
    case Outcome::Revoked:
        return setLook(Look::Refused, tr("✗ REFUNDED"),
            tr("This ticket was refunded or replaced. It is not valid."), ticketText(ticket));
    case Outcome::WrongEvent:
        return setLook(Look::Refused, tr("✗ OTHER EVENT"),
            tr("This ticket is for “%1”.").arg(scan.verdict.otherEventName),
            ticket.startsAt.isValid() ? tr("That event is on %1.")
                                            .arg(QLocale().toString(inZone(ticket.startsAt, zone),
                                                tr("ddd d MMM, HH:mm")))
                                      : QString());
    case Outcome::Unknown:
        return setLook(Look::Refused, tr("✗ UNKNOWN TICKET"), tr("No ticket has this code."),
            tr("Check that the whole code was scanned."));
    case Outcome::NotACode:
        return setLook(Look::Refused, tr("✗ NOT A TICKET CODE"),
            tr("The scanner read “%1”.").arg(scan.code.left(40)),
            tr("Scan again. If this repeats, check the scanner's keyboard layout."));
    case Outcome::Trouble:
        break;
    }
    // What to do first, large; the technical reason small, for whoever fixes it.
    setLook(Look::Trouble, tr("⚠ NOT CHECKED"), tr("Not checked in yet. Press Enter to try again."),
        scan.problem);
}

QString DoorResultPanel::historyText(const DoorScan &scan, const QString &timeZone)
{
    using Outcome = DoorScan::Outcome;
    const DoorTicket &ticket = scan.verdict.ticket;
    const QString zone = ticket.timeZone.isEmpty() ? timeZone : ticket.timeZone;
    const QString when = QLocale().toString(inZone(scan.scannedAt, zone).time(), tr("HH:mm:ss"));
    const QString seat = seatText(ticket.seat);
    QString what;
    switch (scan.outcome) {
    case Outcome::Admitted:
        what = tr("✓ OK · %1 · %2").arg(seat, ticket.categoryName);
        break;
    case Outcome::AlreadyIn:
        what = scan.verdict.at.isValid()
            ? tr("✗ Already in since %1").arg(timeText(scan.verdict.at, zone, scan.scannedAt))
            : tr("✗ Already in");
        break;
    case Outcome::Revoked:
        what = tr("✗ Refunded");
        break;
    case Outcome::WrongEvent:
        what = tr("✗ Other event: %1").arg(scan.verdict.otherEventName);
        break;
    case Outcome::Unknown:
        what = tr("✗ Unknown ticket");
        break;
    case Outcome::NotACode:
        what = tr("✗ Not a ticket code");
        break;
    case Outcome::Trouble:
        what = tr("⚠ Not checked · %1").arg(scan.code);
        break;
    }
    const bool refusedTicket
        = scan.outcome == Outcome::AlreadyIn || scan.outcome == Outcome::Revoked;
    if (refusedTicket && !ticketText(ticket).isEmpty())
        what += QStringLiteral(" · ") + ticketText(ticket);
    //: One line of the door's history: %1 time of the scan, %2 what came of it
    return tr("%1  %2").arg(when, what);
}

DoorView::DoorView(
    ApiClient *api, const QString &preferredEvent, QWidget *parent, const Clock *clock)
    : QWidget(parent, Qt::Window)
    , m_api(api)
    , m_clock(clock ? *clock : m_systemClock)
    , m_preferred(preferredEvent)
    , m_pages(new QStackedWidget(this))
{
    setWindowTitle(tr("Marquee Door check-in"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_pages->addWidget(makePickerPage());
    m_pages->addWidget(makeScanPage());
    layout->addWidget(m_pages);
    makeActions();
    m_verdictTimer.setSingleShot(true);
    m_verdictTimer.setInterval(VerdictShownMs);
    connect(&m_verdictTimer, &QTimer::timeout, m_result, &DoorResultPanel::showReady);
    resize(1100, 720);
    loadEvents();
}

QWidget *DoorView::makePickerPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(40, 32, 40, 32);
    QLabel *title = label(page, 2.0, true);
    title->setText(tr("Which event does this door admit to?"));
    m_picker = new QListWidget(page);
    m_picker->setObjectName(QStringLiteral("doorEvents"));
    m_picker->setFont(scaled(page, 1.4));
    m_picker->setSpacing(6);
    QLabel *note = label(page, 1.1);
    note->setText(tr("↑ ↓ choose · Enter start checking in · Esc back to selling"));
    layout->addWidget(title);
    layout->addWidget(m_picker, 1);
    layout->addWidget(note);
    connect(m_picker, &QListWidget::itemActivated, this, &DoorView::startDoor);
    return page;
}

QWidget *DoorView::makeScanPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(24, 16, 24, 16);
    auto *top = new QHBoxLayout;
    auto *titles = new QVBoxLayout;
    m_eventTitle = label(page, 1.8, true);
    m_eventWhen = label(page, 1.2);
    titles->addWidget(m_eventTitle);
    titles->addWidget(m_eventWhen);
    m_counts = label(page, 2.2, true);
    m_counts->setObjectName(QStringLiteral("doorCounts"));
    m_counts->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_counts->setWordWrap(false);
    top->addLayout(titles, 1);
    top->addWidget(m_counts);

    m_scan = new QLineEdit(page);
    m_scan->setObjectName(QStringLiteral("doorScan"));
    m_scan->setFont(scaled(page, 1.8));
    m_scan->setPlaceholderText(tr("Scan a ticket — or type its code and press Enter"));
    m_scan->setMaxLength(200);
    m_status = label(page, 1.1);
    m_result = new DoorResultPanel(page);
    m_history = new QListWidget(page);
    m_history->setObjectName(QStringLiteral("doorHistory"));
    m_history->setFont(scaled(page, 1.15));
    m_history->setMaximumHeight(m_history->fontMetrics().lineSpacing() * (HistoryLength + 1));
    // The input line is the only thing on this page that takes the focus,
    // so whatever the scanner types lands in it.
    m_history->setFocusPolicy(Qt::NoFocus);
    m_history->setSelectionMode(QAbstractItemView::NoSelection);

    layout->addLayout(top);
    layout->addWidget(m_scan);
    layout->addWidget(m_status);
    layout->addWidget(m_result, 1);
    layout->addWidget(m_history);
    connect(m_scan, &QLineEdit::returnPressed, this, &DoorView::submitScan);
    return page;
}

void DoorView::makeActions()
{
    auto *back = new QAction(tr("Back to selling"), this);
    back->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(back, &QAction::triggered, this, &QWidget::close);
    auto *other = new QAction(tr("Another event"), this);
    // The counter's "Go to events" key; not Ctrl+E, the scan field's end of line.
    other->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    connect(other, &QAction::triggered, this, &DoorView::showPicker);
    for (QAction *action : {back, other}) {
        action->setShortcutContext(Qt::WindowShortcut);
        addAction(action);
    }
}

void DoorView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    (m_pages->currentIndex() == 0 ? static_cast<QWidget *>(m_picker) : m_scan)->setFocus();
}

void DoorView::closeEvent(QCloseEvent *event)
{
    QWidget::closeEvent(event);
    // Back to selling means the counter's keys work at once, without a click.
    if (QWidget *counter = parentWidget())
        counter->window()->activateWindow();
}

void DoorView::loadEvents()
{
    m_picker->clear();
    m_picker->addItem(tr("Loading events…"));
    m_api->fetchEvents(this, [this](const ApiResult<QList<EventSummary>> &result) {
        m_picker->clear();
        if (!result.ok()) {
            m_picker->addItem(result.error.message);
            return;
        }
        m_events = *result.value;
        for (const EventSummary &event : std::as_const(m_events)) {
            const QDateTime when = DoorResultPanel::inZone(event.startsAt, event.timeZone);
            auto *item = new QListWidgetItem(event.name + u'\n'
                    + QLocale().toString(when, tr("ddd d MMM yyyy, HH:mm"))
                    + (event.venue.isEmpty() ? QString() : QStringLiteral(" · ") + event.venue),
                m_picker);
            if (event.slug == m_preferred)
                m_picker->setCurrentItem(item);
        }
        if (!m_picker->currentItem() && m_picker->count() > 0)
            m_picker->setCurrentRow(0);
    });
}

void DoorView::showPicker()
{
    m_pages->setCurrentIndex(0);
    m_picker->setFocus();
}

void DoorView::startDoor()
{
    const int row = m_picker->currentRow();
    if (row < 0 || row >= m_events.size())
        return;
    const EventSummary &event = m_events.at(row);
    m_preferred = event.slug;
    delete m_session; // a scan still on its way was for the other door
    m_session = new DoorSession(m_api, m_clock, event, this);
    connect(m_session, &DoorSession::scanStarted, this, [this] {
        m_verdictTimer.stop(); // "Ready" must not replace "Checking…"
        m_result->showChecking();
    });
    connect(m_session, &DoorSession::scanned, this, &DoorView::onScanned);
    connect(m_session, &DoorSession::pendingChanged, this, &DoorView::onPending);
    connect(m_session, &DoorSession::countsChanged, this, [this](int entered, int sold) {
        //: The door's count: %1 tickets let in, %2 valid tickets of the event
        m_counts->setText(tr("Entered %1 of %2").arg(entered).arg(sold));
    });
    connect(m_session, &DoorSession::countsFailed, this,
        [this](const QString &message) { m_status->setText(message); });
    m_eventTitle->setText(tr("Door: %1").arg(event.name));
    m_eventWhen->setText(QLocale().toString(DoorResultPanel::inZone(event.startsAt, event.timeZone),
                             tr("ddd d MMM yyyy, HH:mm"))
        + QStringLiteral(" · ")
        + tr("%1 another event · %2 back to selling")
              .arg(QKeySequence(Qt::CTRL | Qt::Key_F).toString(QKeySequence::NativeText),
                  QKeySequence(Qt::Key_Escape).toString(QKeySequence::NativeText)));
    m_counts->setText(tr("Entered … of …"));
    m_history->clear();
    m_result->showReady();
    m_status->clear();
    m_pages->setCurrentIndex(1);
    m_scan->clear();
    m_scan->setFocus();
}

void DoorView::submitScan()
{
    const QString text = m_scan->text();
    // Cleared at once: the scanner may type the next code straight away.
    m_scan->clear();
    if (m_session)
        m_session->submit(text);
}

void DoorView::onPending(int pending)
{
    m_status->setText(
        pending > 1 ? tr("Checking… %n more scan(s) waiting.", nullptr, pending - 1) : QString());
}

QString DoorView::venueZone() const
{
    // One load of the guarded pointer: checked and used as the same value.
    const DoorSession *session = m_session.data();
    if (!session)
        return {};
    return session->event().timeZone;
}

void DoorView::onScanned(const DoorScan &scan)
{
    const QString zone = venueZone();
    m_result->showScan(scan, zone);
    addHistory(scan);
    playCue(scan);
    if (scan.outcome == DoorScan::Outcome::Trouble) {
        // Kept, selected, for Enter to try again; the next scan replaces it.
        m_verdictTimer.stop();
        if (m_scan->text().isEmpty()) {
            m_scan->setText(scan.code);
            m_scan->selectAll();
        }
    } else {
        m_verdictTimer.start();
    }
    m_scan->setFocus();
}

void DoorView::addHistory(const DoorScan &scan)
{
    const QString zone = venueZone();
    auto *item = new QListWidgetItem(DoorResultPanel::historyText(scan, zone));
    item->setForeground(scan.admitted()                  ? QColor(0x15, 0x80, 0x3d)
            : scan.outcome == DoorScan::Outcome::Trouble ? QColor(0xb4, 0x53, 0x09)
                                                         : QColor(0xb9, 0x1c, 0x1c));
    m_history->insertItem(0, item);
    while (m_history->count() > HistoryLength)
        delete m_history->takeItem(m_history->count() - 1);
}

void DoorView::playCue(const DoorScan &scan)
{
    // One beep lets in; a refusal must stop the attendant, so it sounds
    // different: three quick beeps (two when there was no verdict).
    const int beeps = scan.admitted() ? 1 : scan.outcome == DoorScan::Outcome::Trouble ? 2 : 3;
    QApplication::beep();
    for (int i = 1; i < beeps; ++i)
        QTimer::singleShot(180 * i, this, [] { QApplication::beep(); });
    emit cueSounded(beeps);
}

} // namespace Marquee
