#pragma once

#include "net/ApiTypes.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <optional>

class QWidget;

namespace Marquee {

class ApiClient;
class CounterActions;
class HoldCountdown;
class SaleSession;
class SalePanel;
class SeatMapView;
namespace Protocol {
struct HoldRequest;
}

/// The sale as the clerk sees it: turns the counter's sale actions into
/// SaleSession steps, keeps the sale panel (selection, holds with their
/// countdown, total, buttons) in step with the session, and puts what
/// happened into plain sentences. The window opens events and tells it
/// which one is open; this knows nothing of event lists or channels.
class SaleController : public QObject
{
    Q_OBJECT

public:
    SaleController(ApiClient *api, CounterActions *actions, SalePanel *panel, SeatMapView *map,
        QWidget *window);

    SaleSession *session() const { return m_sale; }
    HoldCountdown *countdown() const { return m_countdown; }

    /// The event now open (none: \a event empty); \a details once known.
    void setEvent(const std::optional<EventSummary> &event,
        const std::optional<EventDetails> &details = std::nullopt);
    /// Names for the holds of other events in this sale.
    void setKnownEvents(const QList<EventSummary> &events);
    /// Drops the sale without asking (another server was chosen).
    void dropSale();
    /// The server answered (a call, or the event channel is live again): a
    /// notice that it could not be reached is out of date.
    void serverReached();
    /// Redraws selection, holds and total, and enables the actions.
    void refresh();

signals:
    void statusMessage(const QString &text, int timeoutMs);
    /// Selling needs a signed-in clerk.
    void signInNeeded();

private:
    void connectSession();
    std::optional<Protocol::HoldRequest> pendingRequest() const;
    bool takeTypedSeats();
    void hold();
    void sell();
    void keep();
    /// Something to renew or to hold again.
    bool canKeep() const;
    void clearSelection();
    void cancelSale();

    void onSeatsTyped(const QString &text);
    void onHeld(const Hold &hold);
    void onHoldRefused(const ApiError &error);
    void onSold(const SaleReceipt &receipt);
    void onProblem(const QString &message, bool unreachable);
    void onSelectionLost(const QStringList &labels);
    void onExpiring(const Hold &hold);
    /// Asks until when \a seats are held elsewhere, for the map's tooltips
    /// and, with \a notice, for the clerk's notice that named them.
    void askHeldUntil(const QStringList &seats, bool notice);
    void onLapsed();

    void refreshHolds();
    void refreshActions();
    QString eventName(const QString &slug) const;
    QString describeHold(const Hold &hold) const;
    QString untilText(const QDateTime &end) const;

    ApiClient *m_api;
    CounterActions *m_actions;
    SalePanel *m_panel;
    SeatMapView *m_map;
    QWidget *m_window;
    SaleSession *m_sale;
    HoldCountdown *m_countdown;

    std::optional<EventSummary> m_event;
    std::optional<EventDetails> m_details;
    QHash<QString, QString> m_eventNames; ///< slug -> name
    QHash<QString, QString> m_generalCategory; ///< GA event slug -> its one category
    QSet<QString> m_pendingSeats; ///< seats of a hold on its way to the server
};

} // namespace Marquee
