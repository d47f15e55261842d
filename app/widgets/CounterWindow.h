#pragma once

#include "net/ApiTypes.h"

#include <QMainWindow>
#include <QPointer>
#include <optional>

class QLabel;
class QStackedWidget;

namespace Marquee {

class ApiClient;
class AuditView;
class AvailabilityModel;
class CategoryTally;
class ConnectionIndicator;
class CounterActions;
class DoorView;
class EventChannel;
class EventFeed;
class EventFinder;
class EventList;
class GeneralAdmissionView;
class Legend;
class SaleController;
class SalePanel;
class SeatMapView;
class ServerSettings;
class SessionGuard;

/// The counter's one screen: events on the left, the live seat map (or the
/// places left for general admission) in the middle, the sale on the right.
/// It opens events and wires the parts together; the sale itself is the
/// SaleController's. The parts know nothing of each other.
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

    void focusInput();
    void askServer();
    void showSignedIn();
    void openAudit();
    void openDoor();
    void refreshAuditAccess();

    void refreshLastUpdate();

    ApiClient *m_api;
    ServerSettings *m_settings;
    EventChannel *m_channel;
    AvailabilityModel *m_model;
    EventFeed *m_feed;
    CategoryTally *m_tally;
    CounterActions *m_actions;
    SessionGuard *m_guard;
    QLabel *m_signedIn;

    EventFinder *m_finder;
    EventList *m_events; ///< the finder's list
    QStackedWidget *m_centre;
    QLabel *m_centreMessage;
    SeatMapView *m_seatMap;
    Legend *m_legend;
    GeneralAdmissionView *m_generalView;
    SalePanel *m_panel;
    SaleController *m_controller = nullptr;
    ConnectionIndicator *m_connection;
    QLabel *m_lastUpdate;
    QPointer<AuditView> m_audit; ///< made when first opened, gone when the screen hides
    QPointer<DoorView> m_door; ///< door check-in while open; gone when the screen hides

    std::optional<EventSummary> m_event;
    std::optional<EventDetails> m_details;
    QList<EventSummary> m_knownEvents;
    int m_openGeneration = 0; ///< drops answers for an event no longer open
};

} // namespace Marquee
