#include "SaleController.h"

#include "CounterActions.h"
#include "SalePanel.h"
#include "SeatMapView.h"
#include "model/HoldCountdown.h"
#include "model/MoneyFormat.h"
#include "model/SaleSession.h"
#include "model/SeatInput.h"
#include "net/ApiClient.h"

#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QSpinBox>
#include <algorithm>

namespace Marquee {

using Cause = SalePanel::Cause;

SaleController::SaleController(
    ApiClient *api, CounterActions *actions, SalePanel *panel, SeatMapView *map, QWidget *window)
    : QObject(window)
    , m_api(api)
    , m_actions(actions)
    , m_panel(panel)
    , m_map(map)
    , m_window(window)
    , m_sale(new SaleSession(api, this))
    , m_countdown(new HoldCountdown(
          m_sale, [api] { return api->serverNow(); }, this))
{
    connect(m_actions->hold, &QAction::triggered, this, &SaleController::hold);
    connect(m_actions->sell, &QAction::triggered, this, &SaleController::sell);
    connect(m_actions->keep, &QAction::triggered, this, &SaleController::keep);
    connect(m_actions->clear, &QAction::triggered, this, &SaleController::clearSelection);
    connect(m_actions->cancel, &QAction::triggered, this, &SaleController::cancelSale);
    connect(m_map, &SeatMapView::selectionChanged, this, [this] {
        m_panel->clearNotice(Cause::Entry);
        refresh();
    });
    connect(m_map, &SeatMapView::selectionLost, this, &SaleController::onSelectionLost);
    connect(m_map, &SeatMapView::selectionLimitReached, this, [this](int limit) {
        m_panel->showNotice(SalePanel::Notice::Info,
            tr("One hold takes at most %1 seats. Hold these first.").arg(limit), Cause::Entry);
    });
    connect(m_panel, &SalePanel::seatsTyped, this, &SaleController::onSeatsTyped);
    connect(m_map, &SeatMapView::heldSeatPointed, this,
        [this](const QString &seat) { askHeldUntil({seat}, false); });
    connect(m_panel, &SalePanel::quantityChanged, this, &SaleController::refresh);
    connect(m_panel->seatEntry(), &QLineEdit::textChanged, this, &SaleController::refreshActions);
    connect(m_api, &ApiClient::sessionChanged, this, [this] {
        if (m_api->hasStaffToken())
            m_panel->clearNotice(Cause::SignIn);
    });
    connect(m_api, &ApiClient::answered, this, &SaleController::serverReached);
    connect(m_countdown, &HoldCountdown::ticked, this, &SaleController::refreshHolds);
    connect(m_countdown, &HoldCountdown::expiring, this, &SaleController::onExpiring);
    connect(m_countdown, &HoldCountdown::lapsed, this, &SaleController::onLapsed);
    connectSession();
}

void SaleController::connectSession()
{
    connect(m_sale, &SaleSession::held, this, &SaleController::onHeld);
    connect(m_sale, &SaleSession::heldAgain, this, [this](const Hold &hold) {
        m_panel->showNotice(SalePanel::Notice::Info,
            tr("Held again: %1 until %2.").arg(describeHold(hold), untilText(hold.expiresAt)));
    });
    connect(m_sale, &SaleSession::renewed, this, [this](const Hold &hold) {
        m_panel->showNotice(SalePanel::Notice::Info,
            tr("More time: %1 held until %2.").arg(describeHold(hold), untilText(hold.expiresAt)));
    });
    connect(m_sale, &SaleSession::holdRefused, this, &SaleController::onHoldRefused);
    connect(
        m_sale, &SaleSession::takenMeanwhile, this, [this](const QStringList &seats, int places) {
            QStringList what = seats;
            if (places > 0)
                what.append(tr("%n place(s)", nullptr, places));
            const QString taken = what.join(QStringLiteral(", "));
            m_panel->showNotice(SalePanel::Notice::Problem,
                m_sale->holds().isEmpty()
                    ? tr("Taken meanwhile: %1. Nothing of this sale is held now.").arg(taken)
                    : tr("Taken meanwhile: %1. The rest is held again.").arg(taken));
        });
    connect(m_sale, &SaleSession::sold, this, &SaleController::onSold);
    connect(m_sale, &SaleSession::failed, this, &SaleController::onProblem);
    connect(m_sale, &SaleSession::holdsChanged, this, &SaleController::refresh);
    connect(m_sale, &SaleSession::busyChanged, this, [this](bool busy) {
        if (!busy)
            m_pendingSeats.clear();
        if (busy)
            QApplication::setOverrideCursor(Qt::BusyCursor);
        else
            QApplication::restoreOverrideCursor();
        refreshActions();
    });
    connect(m_sale, &SaleSession::staffTokenMissing, this, [this] {
        m_panel->showNotice(
            SalePanel::Notice::Problem, tr("Sign in first, then press Sell again."), Cause::SignIn);
        emit signInNeeded();
    });
}

void SaleController::setEvent(
    const std::optional<EventSummary> &event, const std::optional<EventDetails> &details)
{
    m_event = event;
    m_details = details;
    if (details && details->summary.kind == EventKind::General && !details->categories.isEmpty())
        m_generalCategory.insert(details->summary.slug, details->categories.first().name);
    refresh();
}

void SaleController::setKnownEvents(const QList<EventSummary> &events)
{
    for (const EventSummary &event : events)
        m_eventNames.insert(event.slug, event.name);
}

void SaleController::dropSale()
{
    m_sale->cancel();
    setEvent(std::nullopt);
}

void SaleController::serverReached()
{
    m_panel->clearNotice(Cause::Connection);
}

std::optional<Protocol::HoldRequest> SaleController::pendingRequest() const
{
    if (!m_event || !m_details)
        return std::nullopt;
    Protocol::HoldRequest request;
    request.event = m_event->slug;
    if (m_event->kind == EventKind::Seated)
        request.seats = m_map->selectedSeats();
    else
        request.quantity = m_panel->quantity()->value();
    if (request.seats.isEmpty() && request.quantity <= 0)
        return std::nullopt;
    return request;
}

bool SaleController::takeTypedSeats()
{
    // Seats typed but not yet entered count as entered: one press of Hold
    // or Sell does what the clerk sees on the screen.
    if (!m_event || m_event->kind != EventKind::Seated
        || m_panel->seatEntry()->text().trimmed().isEmpty())
        return true;
    onSeatsTyped(m_panel->seatEntry()->text());
    return m_panel->seatEntry()->text().isEmpty();
}

void SaleController::hold()
{
    if (m_sale->isBusy() || !takeTypedSeats())
        return;
    const auto request = pendingRequest();
    if (!request)
        return;
    m_panel->clearNotice();
    m_pendingSeats = QSet<QString>(request->seats.cbegin(), request->seats.cend());
    m_sale->hold(*request);
}

void SaleController::sell()
{
    if (m_sale->isBusy() || !takeTypedSeats())
        return;
    const auto request = pendingRequest();
    m_panel->clearNotice();
    if (request)
        m_pendingSeats = QSet<QString>(request->seats.cbegin(), request->seats.cend());
    m_sale->sellCash(request);
}

void SaleController::keep()
{
    if (m_sale->isBusy())
        return;
    if (!canKeep()) {
        m_panel->showNotice(SalePanel::Notice::Warning,
            tr("These holds cannot be extended again. Sell now, or they go back on sale."),
            Cause::Expiry);
        return;
    }
    m_panel->clearNotice();
    m_sale->keep();
}

bool SaleController::canKeep() const
{
    const QList<Hold> &holds = m_sale->holds();
    return !m_sale->lapsed().isEmpty()
        || std::any_of(
            holds.cbegin(), holds.cend(), [](const Hold &hold) { return hold.renewalsLeft != 0; });
}

void SaleController::clearSelection()
{
    m_map->clearSelection();
    m_panel->quantity()->setValue(0);
    m_panel->seatEntry()->clear();
    m_panel->clearNotice();
}

void SaleController::cancelSale()
{
    if (m_sale->isBusy())
        return;
    QStringList what;
    for (const QList<Hold> *holds : {&m_sale->holds(), &m_sale->lapsed()}) {
        for (const Hold &hold : *holds)
            what.append(describeHold(hold));
    }
    // A cancel cannot be undone once the seats are back on sale: ask.
    if (!what.isEmpty()
        && QMessageBox::question(m_window, tr("Cancel sale"),
               tr("Cancel this sale and put %1 back on sale?").arg(what.join(QStringLiteral("; "))),
               QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
            != QMessageBox::Yes)
        return;
    m_sale->cancel();
    m_panel->showNotice(SalePanel::Notice::Info, tr("Sale cancelled; the seats are free again."));
}

void SaleController::onSeatsTyped(const QString &text)
{
    const SeatInput input = SeatInput::parse(text, m_map->seatLabels());
    const QStringList refused = m_map->select(input.seats);
    if (!input.unknown.isEmpty())
        m_panel->showNotice(SalePanel::Notice::Problem,
            tr("No such seat: %1").arg(input.unknown.join(QStringLiteral(", "))), Cause::Entry);
    else if (!refused.isEmpty()) {
        m_panel->showNotice(SalePanel::Notice::Problem,
            tr("Not available: %1").arg(refused.join(QStringLiteral(", "))), Cause::Entry);
        askHeldUntil(refused, true);
    } else {
        m_panel->clearNotice(Cause::Entry);
        m_panel->seatEntry()->clear();
    }
}

void SaleController::askHeldUntil(const QStringList &seats, bool notice)
{
    if (!m_event || !m_api->hasStaffToken())
        return;
    const QString event = m_event->slug;
    const QString shown = m_panel->noticeText();
    m_api->fetchHeldUntil(event, seats.mid(0, 20), this,
        [this, event, shown, notice](const ApiResult<QHash<QString, QDateTime>> &result) {
            if (!result.ok() || !m_event || m_event->slug != event)
                return;
            QStringList held;
            for (auto it = result.value->cbegin(); it != result.value->cend(); ++it) {
                m_map->setHeldUntil(it.key(), it.value());
                //: A seat someone else holds, in a notice: "B3 until 21:41"
                held.append(tr("%1 until %2").arg(it.key(), untilText(it.value())));
            }
            // Only if the notice still says what it said when we asked.
            if (notice && !held.isEmpty() && m_panel->noticeText() == shown) {
                held.sort();
                m_panel->showNotice(SalePanel::Notice::Problem,
                    shown + u'\n' + tr("Held elsewhere: %1.").arg(held.join(QStringLiteral(", "))),
                    Cause::Entry);
            }
        });
}

void SaleController::onHeld(const Hold &hold)
{
    if (m_event && hold.event == m_event->slug) {
        if (hold.seats.isEmpty())
            m_panel->quantity()->setValue(0);
        else
            m_map->clearSelection();
    }
    m_panel->showNotice(SalePanel::Notice::Info,
        tr("Held %1 until %2.").arg(describeHold(hold), untilText(hold.expiresAt)));
}

void SaleController::onHoldRefused(const ApiError &error)
{
    QString text;
    if (error.seats.size() == 1)
        text = tr("Seat %1 was just taken.").arg(error.seats.first());
    else if (!error.seats.isEmpty())
        text = tr("Seats %1 were just taken.").arg(error.seats.join(QStringLiteral(", ")));
    else if (error.available >= 0)
        text = tr("Not enough places left (available: %1).").arg(error.available);
    else
        text = error.message;
    m_panel->showNotice(
        SalePanel::Notice::Problem, text + u' ' + tr("Nothing was held; pick again."));
}

void SaleController::onSold(const SaleReceipt &receipt)
{
    const QString total = MoneyFormat().format(receipt.total);
    m_map->setOwnSeats({});
    m_panel->showNotice(SalePanel::Notice::Success,
        tr("Paid in cash: %1\nOrder %2\nReady for the next customer.").arg(total, receipt.order));
    emit statusMessage(tr("Order %1 paid: %2").arg(receipt.order, total), 15000);
}

void SaleController::onProblem(const QString &message, bool unreachable)
{
    m_panel->showNotice(
        SalePanel::Notice::Problem, message, unreachable ? Cause::Connection : Cause::Step);
    if (m_event)
        m_map->setOwnSeats(m_sale->heldSeats(m_event->slug));
}

void SaleController::onSelectionLost(const QStringList &labels)
{
    QStringList taken;
    for (const QString &label : labels) {
        // Our own hold arriving on the channel before its HTTP answer is not news.
        if (!m_pendingSeats.contains(label))
            taken.append(label);
    }
    if (taken.isEmpty())
        return;
    m_panel->showNotice(SalePanel::Notice::Problem,
        taken.size() == 1 ? tr("Seat %1 was just taken and left the selection.").arg(taken.first())
                          : tr("Seats %1 were just taken and left the selection.")
                                .arg(taken.join(QStringLiteral(", "))));
}

void SaleController::onExpiring(const Hold &hold)
{
    const QString keys = m_actions->keep->shortcut().toString(QKeySequence::NativeText);
    const QString left = HoldCountdown::format(m_countdown->remainingMs(hold));
    const QString text = hold.renewalsLeft == 0
        ? tr("The hold of %1 ends in %2 and cannot be extended again. Sell now, or it goes "
             "back on sale.")
              .arg(describeHold(hold), left)
        : tr("The hold of %1 ends in %2. Press %3 for more time.")
              .arg(describeHold(hold), left, keys);
    m_panel->showNotice(SalePanel::Notice::Warning, text, Cause::Expiry);
    QApplication::beep();
}

void SaleController::onLapsed()
{
    const QString keys = m_actions->keep->shortcut().toString(QKeySequence::NativeText);
    m_panel->showNotice(SalePanel::Notice::Problem,
        tr("A hold of this sale ran out; its seats are still listed. Press %1 to hold them "
           "again, or Sell to hold them again and sell.")
            .arg(keys),
        Cause::Expiry);
}

QString SaleController::describeHold(const Hold &hold) const
{
    if (!hold.seats.isEmpty())
        return hold.seats.join(QStringLiteral(", "));
    //: A general-admission hold: quantity × price category, e.g. "3 × Standing"
    return tr("%1 × %2").arg(
        QString::number(hold.quantity), m_generalCategory.value(hold.event, tr("tickets")));
}

QString SaleController::untilText(const QDateTime &end) const
{
    return QLocale().toString(end.toLocalTime().time(), tr("HH:mm"));
}

QString SaleController::eventName(const QString &slug) const
{
    return m_eventNames.value(slug, slug);
}

void SaleController::refresh()
{
    const MoneyFormat money;
    QList<SalePanel::Line> selection;
    const QString currency = m_details ? m_details->summary.currency : QString();
    if (m_details && m_event && m_event->kind == EventKind::Seated) {
        const QStringList seats = m_map->selectedSeats();
        for (const QString &seat : seats) {
            const QString category = m_map->categoryOf(seat);
            selection.append({tr("%1 · %2").arg(seat, m_details->categoryName(category)),
                money.format(m_details->priceOf(category), currency)});
        }
    } else if (m_details) {
        const int quantity = m_panel->quantity()->value();
        if (quantity > 0)
            selection.append(
                {tr("%1 × %2").arg(QString::number(quantity), m_details->categoryName(QString())),
                    money.format(m_details->priceOf(QString()) * quantity, currency)});
    }
    m_panel->setSelectionLines(selection);
    if (m_event)
        m_map->setOwnSeats(m_sale->heldSeats(m_event->slug));
    refreshHolds();
    refreshActions();
}

void SaleController::refreshHolds()
{
    const MoneyFormat money;
    QList<Money> total;
    if (m_details && m_event && m_event->kind == EventKind::Seated) {
        for (const QString &seat : m_map->selectedSeats())
            total.append(
                Money{m_details->priceOf(m_map->categoryOf(seat)), m_details->summary.currency});
    } else if (m_details) {
        total.append(Money{m_details->priceOf(QString()) * m_panel->quantity()->value(),
            m_details->summary.currency});
    }
    // What and how long first: the event's name only for a hold of
    // another event than the one open, which the panel's title names.
    const auto otherEvent = [this](const Hold &hold) {
        return m_event && hold.event == m_event->slug ? QString() : u'\n' + eventName(hold.event);
    };
    QList<SalePanel::Line> lines;
    for (const Hold &hold : m_sale->holds()) {
        const qint64 left = m_countdown->remainingMs(hold);
        total.append(hold.total);
        //: A hold of the sale with the time left, e.g. "A3, A4 · 14:05 left"
        lines.append({tr("%1 · %2 left").arg(describeHold(hold), HoldCountdown::format(left))
                + otherEvent(hold),
            money.format(hold.total),
            left <= HoldCountdown::WarningMs ? SalePanel::Tone::Warning : SalePanel::Tone::Normal});
    }
    for (const Hold &hold : m_sale->lapsed()) {
        total.append(hold.total);
        lines.append({tr("%1 · ran out, not held").arg(describeHold(hold)) + otherEvent(hold),
            money.format(hold.total), SalePanel::Tone::Lapsed});
    }
    m_panel->setHoldLines(lines);
    const qint64 soonest = m_countdown->soonestMs();
    m_panel->setHoldsTitle(soonest < 0
            ? tr("Held for this sale")
            : tr("Held for this sale · %1 left").arg(HoldCountdown::format(soonest)));
    const QString currency = m_details ? m_details->summary.currency : QString();
    m_panel->setTotal(total.isEmpty() ? money.format(0, currency) : money.formatSum(total));
}

void SaleController::refreshActions()
{
    const bool busy = m_sale->isBusy();
    const bool typed = !m_panel->seatEntry()->text().trimmed().isEmpty() && m_event
        && m_event->kind == EventKind::Seated;
    const bool pending = typed || pendingRequest().has_value();
    const bool held = !m_sale->holds().isEmpty() || !m_sale->lapsed().isEmpty();
    m_actions->hold->setEnabled(!busy && pending);
    m_actions->sell->setEnabled(!busy && (pending || held));
    m_actions->keep->setEnabled(!busy && canKeep());
    m_actions->clear->setEnabled(pending);
    m_actions->cancel->setEnabled(!busy && held);
}

} // namespace Marquee
