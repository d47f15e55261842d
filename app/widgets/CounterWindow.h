#pragma once

#include "net/ApiTypes.h"

#include <QMainWindow>
#include <QPointer>
#include <QSet>
#include <optional>

class QLabel;
class QStackedWidget;

namespace Marquee {

class ApiClient;
class AuditView;
class AvailabilityModel;
class ConnectionIndicator;
class CounterActions;
class DoorView;
class EventChannel;
class EventFeed;
class EventList;
class GeneralAdmissionView;
class Legend;
class SaleSession;
class SalePanel;
class SeatMapView;
class ServerSettings;
class SessionGuard;
namespace Protocol {
struct HoldRequest;
}

/// The counter's one screen: events on the left, the live seat map (or the
/// places left for general admission) in the middle, the sale on the right.
/// It wires the parts together and turns their signals into plain sentences
/// for the clerk; the parts themselves know nothing of each other.
class CounterWindow : public QMainWindow
{
    Q_OBJECT

public:
    CounterWindow(ApiClient *api, ServerSettings *settings, QWidget *parent = nullptr);

    /// Loads the event list from the server (F5 does the same).
    void reloadEvents();

    SeatMapView *seatMap() const { return m_seatMap; }
    SessionGuard *sessionGuard() const { return m_guard; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createLayout();
    void connectActions();
    void connectParts();

    void openEvent(const EventSummary &event);
    void showDetails(const EventDetails &details);
    void showPlan(const QByteArray &svg);
    void showCentreMessage(const QString &text);

    std::optional<Protocol::HoldRequest> pendingRequest() const;
    void hold();
    void sell();
    void clearSelection();
    void cancelSale();
    void focusInput();

    void onHeld(const Hold &hold);
    void onHoldRefused(const ApiError &error);
    void onSold(const SaleReceipt &receipt);
    void onProblem(const QString &message);
    void onSelectionLost(const QStringList &labels);
    void askServer();
    void showSignedIn();
    void openAudit();
    void openDoor();
    void refreshAuditAccess();

    void refreshSale();
    void refreshActions();
    void refreshLastUpdate();
    QString eventName(const QString &slug) const;
    QString describeHold(const Hold &hold) const;

    ApiClient *m_api;
    ServerSettings *m_settings;
    EventChannel *m_channel;
    AvailabilityModel *m_model;
    EventFeed *m_feed;
    SaleSession *m_sale;
    CounterActions *m_actions;
    SessionGuard *m_guard;
    QLabel *m_signedIn;

    EventList *m_events;
    QStackedWidget *m_centre;
    QLabel *m_centreMessage;
    SeatMapView *m_seatMap;
    Legend *m_legend;
    GeneralAdmissionView *m_generalView;
    SalePanel *m_panel;
    ConnectionIndicator *m_connection;
    QLabel *m_lastUpdate;
    QPointer<AuditView> m_audit; ///< made when first opened, gone when the screen hides
    QPointer<DoorView> m_door; ///< door check-in while open; gone when the screen hides

    std::optional<EventSummary> m_event;
    std::optional<EventDetails> m_details;
    QList<EventSummary> m_knownEvents;
    QHash<QString, QString> m_generalCategory; ///< GA event slug -> its one category
    QSet<QString> m_pendingSeats; ///< seats of a hold on its way to the server
    int m_openGeneration = 0; ///< drops answers for an event no longer open
};

} // namespace Marquee
