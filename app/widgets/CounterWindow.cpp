#include "CounterWindow.h"

#include "AuditView.h"
#include "ConnectionIndicator.h"
#include "CounterActions.h"
#include "DoorView.h"
#include "EventFinder.h"
#include "EventList.h"
#include "GeneralAdmissionView.h"
#include "Legend.h"
#include "SaleController.h"
#include "SalePanel.h"
#include "SeatMapView.h"
#include "SessionGuard.h"
#include "model/AvailabilityModel.h"
#include "model/CategoryTally.h"
#include "model/EventFeed.h"
#include "model/SaleSession.h"
#include "model/ServerSettings.h"
#include "net/ApiClient.h"
#include "net/EventChannel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTime>
#include <QVBoxLayout>

namespace Marquee {

namespace {
// A hold takes at most ten seats or tickets (server/API.md).
constexpr int MaxPerHold = 10;
} // namespace

CounterWindow::CounterWindow(ApiClient *api, ServerSettings *settings, QWidget *parent)
    : QMainWindow(parent)
    , m_api(api)
    , m_settings(settings)
    , m_channel(new EventChannel(this))
    , m_model(new AvailabilityModel(this))
    , m_feed(new EventFeed(m_channel, m_model, this))
    , m_tally(new CategoryTally(m_model, this))
    , m_actions(new CounterActions(this))
    , m_guard(new SessionGuard(api, settings, this))
    , m_signedIn(new QLabel(this))
{
    setWindowTitle(tr("Marquee Counter"));
    m_actions->addMenus(menuBar());
    createLayout();
    connectActions();
    connectParts();
    m_controller->refresh();
    if (!restoreGeometry(m_settings->windowGeometry()))
        resize(1280, 760);
}

void CounterWindow::connectActions()
{
    connect(m_actions->events, &QAction::triggered, m_finder, &EventFinder::focusSearch);
    connect(m_actions->input, &QAction::triggered, this, &CounterWindow::focusInput);
    connect(m_actions->zoomIn, &QAction::triggered, m_seatMap, &SeatMapView::zoomIn);
    connect(m_actions->zoomOut, &QAction::triggered, m_seatMap, &SeatMapView::zoomOut);
    connect(m_actions->fit, &QAction::triggered, m_seatMap, &SeatMapView::fitToView);
    connect(m_actions->reload, &QAction::triggered, this, &CounterWindow::reloadEvents);
    connect(m_actions->server, &QAction::triggered, this, &CounterWindow::askServer);
    connect(m_actions->lock, &QAction::triggered, m_guard, &SessionGuard::lock);
    connect(m_actions->signOut, &QAction::triggered, m_guard, &SessionGuard::signOut);
    connect(m_guard, &SessionGuard::signedIn, this, &CounterWindow::showSignedIn);
    connect(m_actions->quit, &QAction::triggered, this, &QWidget::close);
    connect(m_actions->audit, &QAction::triggered, this, &CounterWindow::openAudit);
    connect(m_api, &ApiClient::sessionChanged, this, &CounterWindow::refreshAuditAccess);
    // The trail is a window of its own: a locked screen must not leave it readable.
    connect(m_guard, &SessionGuard::hiding, this, [this] {
        delete m_audit;
        delete m_door;
    });
    connect(m_actions->door, &QAction::triggered, this, &CounterWindow::openDoor);
}

void CounterWindow::createLayout()
{
    m_finder = new EventFinder(this);
    m_finder->setMinimumWidth(270);
    m_events = m_finder->list();

    m_centre = new QStackedWidget(this);
    // One calm surface behind the map, the count and any message.
    QPalette surface = m_centre->palette();
    surface.setColor(QPalette::Window, QColor(0xfa, 0xfa, 0xf9));
    m_centre->setPalette(surface);
    m_centre->setAutoFillBackground(true);
    m_centreMessage = new QLabel(m_centre);
    m_centreMessage->setAlignment(Qt::AlignCenter);
    m_centreMessage->setWordWrap(true);
    m_centreMessage->setForegroundRole(QPalette::PlaceholderText);

    auto *mapPage = new QWidget(m_centre);
    auto *mapLayout = new QVBoxLayout(mapPage);
    mapLayout->setContentsMargins(0, 0, 0, 0);
    mapLayout->setSpacing(0);
    m_seatMap = new SeatMapView(mapPage);
    m_seatMap->setModel(m_model);
    m_seatMap->setMaxSelection(MaxPerHold);
    m_seatMap->setToolTip(QString());
    m_legend = new Legend(mapPage);
    mapLayout->addWidget(m_seatMap, 1);
    mapLayout->addWidget(m_legend);

    m_generalView = new GeneralAdmissionView(m_centre);
    m_generalView->setModel(m_model);

    m_centre->addWidget(m_centreMessage);
    m_centre->addWidget(mapPage);
    m_centre->addWidget(m_generalView);

    m_panel = new SalePanel(this);
    m_panel->setActions(*m_actions);
    m_panel->setMinimumWidth(300);
    m_events->setToolTip(
        tr("Events on sale, today's first. Arrow keys or the first letters pick one; %1 searches.")
            .arg(CounterActions::keysOf(m_actions->events)));
    m_controller = new SaleController(m_api, m_actions, m_panel, m_seatMap, this);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_finder);
    splitter->addWidget(m_centre);
    splitter->addWidget(m_panel);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 0);
    splitter->setSizes({290, 700, 330});
    splitter->setChildrenCollapsible(false);
    setCentralWidget(splitter);

    m_connection = new ConnectionIndicator(m_channel, this);
    m_lastUpdate = new QLabel(this);
    statusBar()->addPermanentWidget(m_connection);
    statusBar()->addPermanentWidget(m_lastUpdate);
    showCentreMessage(tr("Pick an event on the left to start selling."));
}

void CounterWindow::connectParts()
{
    connect(m_events, &EventList::eventChosen, this, &CounterWindow::openEvent);
    connect(m_finder, &EventFinder::finished, this, &CounterWindow::focusInput);
    connect(
        m_tally, &CategoryTally::changed, this, [this] { m_legend->setCounts(m_tally->counts()); });
    connect(m_model, &AvailabilityModel::updated, this, &CounterWindow::refreshLastUpdate);
    connect(m_channel, &EventChannel::stateChanged, this, [this](EventChannel::State state) {
        m_seatMap->setStale(state != EventChannel::State::Live);
        if (state == EventChannel::State::Live)
            m_controller->serverReached();
    });
    connect(m_model, &AvailabilityModel::countsChanged, this, [this](int available, int capacity) {
        m_panel->setCounts(available, capacity);
        m_panel->showQuantity(qMin(MaxPerHold, available));
        m_controller->refresh();
    });
    connect(m_feed, &EventFeed::resyncRequested, this, [this] {
        statusBar()->showMessage(
            tr("Missed an update; asking the server for a fresh picture."), 5000);
    });
    connect(m_controller, &SaleController::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_controller, &SaleController::signInNeeded, m_guard, [this] { m_guard->signIn(); });
}

void CounterWindow::reloadEvents()
{
    m_events->setPlaceholder(tr("Loading events from %1…").arg(m_api->server().toDisplayString()));
    m_api->fetchEvents(this, [this](const ApiResult<QList<EventSummary>> &result) {
        if (!result.ok()) {
            m_events->setPlaceholder(result.error.message + u'\n'
                + tr("Press %1 to try again.").arg(CounterActions::keysOf(m_actions->reload)));
            statusBar()->showMessage(result.error.message);
            return;
        }
        m_knownEvents = *result.value;
        m_controller->setKnownEvents(m_knownEvents);
        m_finder->setEvents(m_knownEvents, m_api->serverNow());
        if (m_audit)
            m_audit->setEvents(m_knownEvents);
        if (!m_event && !m_knownEvents.isEmpty())
            m_events->setCurrentRow(0);
    });
}

void CounterWindow::openEvent(const EventSummary &event)
{
    if (m_event && m_event->slug == event.slug && m_details)
        return;
    const int generation = ++m_openGeneration;
    m_event = event;
    m_details.reset();
    m_seatMap->clearPlan();
    m_tally->setCategories({});
    m_panel->clearNotice();
    m_panel->seatEntry()->clear();
    m_panel->quantity()->setValue(0);
    m_panel->setEventTitle(event.name,
        EventList::whenText(event.startsAt, event.timeZone)
            + (event.venue.isEmpty() ? QString() : u'\n' + event.venue));
    if (event.kind == EventKind::Seated)
        m_panel->showSeatEntry();
    else
        m_panel->showQuantity(0);
    showCentreMessage(tr("Loading %1…").arg(event.name));
    // Start listening at once: the snapshot arrives while the plan loads.
    m_channel->setPinnedCertificate(m_api->pinnedCertificate());
    m_feed->follow(event.slug, event.kind, m_api->channelUrl(event.slug));
    m_controller->setEvent(m_event);

    m_api->fetchEventDetails(
        event.slug, this, [this, generation](const ApiResult<EventDetails> &result) {
            if (generation != m_openGeneration)
                return;
            if (!result.ok()) {
                showCentreMessage(result.error.message);
                return;
            }
            showDetails(*result.value);
        });
}

void CounterWindow::showDetails(const EventDetails &details)
{
    m_details = details;
    if (details.summary.kind == EventKind::General) {
        m_generalView->setEventName(details.summary.name);
        m_centre->setCurrentWidget(m_generalView);
        if (m_model->hasSnapshot())
            m_panel->showQuantity(qMin(MaxPerHold, m_model->available()));
        // Nothing until the clerk says how many: a stray Ctrl+Return on a
        // general-admission event sells no ticket nobody asked for.
        m_panel->quantity()->setValue(0);
        m_controller->setEvent(m_event, m_details);
        return;
    }
    const int generation = m_openGeneration;
    m_api->fetchPlan(
        details.planPath, this, [this, generation](const ApiResult<QByteArray> &result) {
            if (generation != m_openGeneration)
                return;
            if (!result.ok()) {
                showCentreMessage(result.error.message);
                return;
            }
            showPlan(*result.value);
        });
}

void CounterWindow::showPlan(const QByteArray &svg)
{
    QString error;
    if (!m_seatMap->setPlan(svg, m_details->categories, m_details->summary.currency, &error)) {
        showCentreMessage(tr("The floor plan of this event cannot be shown: %1").arg(error));
        return;
    }
    m_legend->setPrices(
        m_details->categories, m_details->summary.currency, m_seatMap->rowsByCategory());
    m_tally->setCategories(m_seatMap->categories());
    m_centre->setCurrentIndex(1);
    m_controller->setEvent(m_event, m_details);
}

void CounterWindow::showCentreMessage(const QString &text)
{
    m_centreMessage->setText(text);
    m_centre->setCurrentWidget(m_centreMessage);
}

void CounterWindow::focusInput()
{
    if (m_event && m_event->kind == EventKind::General) {
        m_panel->quantity()->setFocus();
        m_panel->quantity()->selectAll();
    } else {
        m_panel->seatEntry()->setFocus();
    }
}

void CounterWindow::askServer()
{
    bool ok = false;
    const QString text = QInputDialog::getText(this, tr("Connect to server"),
        tr("Server address (for example http://venue-pc:8080):"), QLineEdit::Normal,
        m_api->server().toString(), &ok);
    if (!ok)
        return;
    const QUrl server = ServerSettings::normalizedServer(text);
    if (server.isEmpty()) {
        QMessageBox::warning(
            this, tr("Connect to server"), tr("\"%1\" is not a server address.").arg(text));
        return;
    }
    m_settings->setServer(server);
    m_api->setServer(server);
    m_feed->stop();
    m_event.reset();
    m_details.reset();
    ++m_openGeneration;
    m_controller->dropSale();
    m_seatMap->clearPlan();
    m_panel->showNoEvent();
    showCentreMessage(tr("Pick an event on the left to start selling."));
    reloadEvents();
}

void CounterWindow::showSignedIn()
{
    const StaffSession &session = m_api->session();
    m_signedIn->setText(tr("Signed in: %1 (%2)").arg(session.user, session.role));
    statusBar()->addPermanentWidget(m_signedIn);
    m_signedIn->show();
}

void CounterWindow::openAudit()
{
    if (!m_audit) {
        m_audit = new AuditView(m_api, this);
        m_audit->setAttribute(Qt::WA_DeleteOnClose);
        m_audit->setEvents(m_knownEvents);
        m_audit->apply();
    }
    m_audit->show();
    m_audit->raise();
    m_audit->activateWindow();
}

void CounterWindow::openDoor()
{
    if (!m_door) {
        m_door = new DoorView(m_api, m_event ? m_event->slug : QString(), this);
        m_door->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_door->show();
    m_door->raise();
    m_door->activateWindow();
}

void CounterWindow::refreshAuditAccess()
{
    const bool allowed = m_api->hasStaffToken() && m_api->session().mayReadAudit();
    m_actions->audit->setEnabled(allowed);
    if (!allowed)
        delete m_audit;
}

void CounterWindow::refreshLastUpdate()
{
    m_lastUpdate->setText(tr("Last update %1 · version %2")
                              .arg(QLocale().toString(QTime::currentTime(), tr("HH:mm:ss")))
                              .arg(m_model->version()));
}

void CounterWindow::closeEvent(QCloseEvent *event)
{
    m_settings->setWindowGeometry(saveGeometry());
    if (!m_controller->session()->holds().isEmpty()) {
        // Releasing needs answers from the server that a closing program
        // would not wait for; say plainly what happens instead.
        const auto answer = QMessageBox::question(this, tr("Quit"),
            tr("This sale still holds seats. They stay held until their hold expires unless "
               "you cancel the sale first. Quit anyway?"),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    event->accept();
}

} // namespace Marquee
