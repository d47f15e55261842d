// Offscreen tests of the counter's seat map against a real floor plan SVG:
// live states reach the screen, only available seats can be picked, a picked
// seat that someone else takes is dropped, and a missed update is healed.
// Channel messages are fed in directly (or from an in-process WebSocket
// server), so no marquee-server is needed.

#include "FloorPlan.h"
#include "Protocol.h"
#include "model/AvailabilityModel.h"
#include "model/EventFeed.h"
#include "model/SeatInput.h"
#include "net/EventChannel.h"
#include "widgets/EventList.h"
#include "widgets/SeatMapView.h"
#include "widgets/SeatPalette.h"

#include <QApplication>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QWheelEvent>
#include <memory>

using namespace Marquee;
using Protocol::ChannelMessage;

namespace {

const QString Event = QStringLiteral("breakfast-ii");

QByteArray theatreSvg()
{
    const FloorPlan plan = FloorPlan::theatre(5, 8, QStringLiteral("Stage"),
        [](int row) { return row < 2 ? QStringLiteral("stalls") : QStringLiteral("balcony"); });
    return plan.toSvg();
}

QHash<QString, SeatState> allAvailable(const QStringList &labels)
{
    QHash<QString, SeatState> seats;
    for (const QString &label : labels)
        seats.insert(label, SeatState::Available);
    return seats;
}

} // namespace

class TestSeatMap : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void seatsWaitForTheSnapshot();
    void heldUpdateMakesSeatUnavailableAndRecolours();
    void clickSelectsAvailableSeat();
    void clickOnSoldSeatDoesNothing();
    void selectedSeatTakenElsewhereIsDeselected();
    void ownHoldIsDrawnApartAndNotSelectable();
    void selectionStopsAtTheHoldLimit();
    void staleUpdateIsIgnored();
    void versionGapAsksForResync();
    void channelSendsResyncOnGapAndReconnects();
    void generalAdmissionCountsFollowUpdates();
    void typedSeats_data();
    void typedSeats();
    void showTimesAreTheVenues();
    void wheelZoomsWherePointerIs();
    void statesCarryAMarkAsWellAsAColour_data();
    void statesCarryAMarkAsWellAsAColour();
    void arrowsAndDraggingPanAZoomedMap();

private:
    /// The colour the clerk sees inside a seat, away from its number.
    /// The colour at \a unit of the seat's square (0..1 each way); by
    /// default above the seat number, well inside the outline.
    QColor pixelInside(const QString &label, QPointF unit = {0.5, 0.15}) const;
    /// Between the lines of a held seat's hatch.
    static constexpr QPointF BetweenHatch{0.3, 0.2};
    void feedSnapshot(qint64 version, const QHash<QString, SeatState> &overrides = {});

    std::unique_ptr<AvailabilityModel> m_model;
    std::unique_ptr<SeatMapView> m_view;
};

void TestSeatMap::init()
{
    m_model = std::make_unique<AvailabilityModel>();
    m_model->reset(Event, EventKind::Seated);
    m_view = std::make_unique<SeatMapView>();
    m_view->setModel(m_model.get());
    QString error;
    const QList<EventPriceCategory> categories
        = {{QStringLiteral("stalls"), QStringLiteral("Stalls"), 4500, QString()},
            {QStringLiteral("balcony"), QStringLiteral("Balcony"), 3000, QString()}};
    QVERIFY2(m_view->setPlan(theatreSvg(), categories, QStringLiteral("EUR"), &error),
        qPrintable(error));
    m_view->resize(800, 600);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestSeatMap::cleanup()
{
    m_view.reset();
    m_model.reset();
}

void TestSeatMap::feedSnapshot(qint64 version, const QHash<QString, SeatState> &overrides)
{
    QHash<QString, SeatState> seats = allAvailable(m_view->seatLabels());
    for (auto it = overrides.cbegin(); it != overrides.cend(); ++it)
        seats.insert(it.key(), it.value());
    QCOMPARE(m_model->apply(ChannelMessage::snapshotSeated(Event, version, seats)),
        AvailabilityModel::ApplyResult::Applied);
}

QColor TestSeatMap::pixelInside(const QString &label, QPointF unit) const
{
    const QImage image = m_view->viewport()->grab().toImage();
    const QPointF centre = m_view->seatViewportPosition(label);
    const qreal radius = FloorPlan::SeatRadius * m_view->transform().m11();
    return image.pixelColor((centre + (unit - QPointF(0.5, 0.5)) * 2 * radius).toPoint());
}

void TestSeatMap::seatsWaitForTheSnapshot()
{
    QCOMPARE(m_view->seatLabels().size(), 40);
    QVERIFY(m_view->seatLabels().contains(QStringLiteral("E8")));
    QCOMPARE(m_view->lookOf(QStringLiteral("A1")), SeatLook::Unknown);
    QVERIFY(!m_view->isSelectable(QStringLiteral("A1")));
    // Updates before a snapshot mean nothing: there is nothing to apply them to.
    QCOMPARE(m_model->apply(ChannelMessage::seatUpdate(
                 Event, 1, {{QStringLiteral("A1"), SeatState::Available}})),
        AvailabilityModel::ApplyResult::Invalid);
    QVERIFY(!m_view->isSelectable(QStringLiteral("A1")));
}

void TestSeatMap::heldUpdateMakesSeatUnavailableAndRecolours()
{
    feedSnapshot(41);
    QTRY_COMPARE(m_view->lookOf(QStringLiteral("A1")), SeatLook::Available);
    QVERIFY(m_view->isSelectable(QStringLiteral("A1")));
    const QColor before = pixelInside(QStringLiteral("A1"));
    QCOMPARE(before, SeatPalette::entry(SeatLook::Available).fill);

    QCOMPARE(m_model->apply(
                 ChannelMessage::seatUpdate(Event, 42, {{QStringLiteral("A1"), SeatState::Held}})),
        AvailabilityModel::ApplyResult::Applied);
    QCOMPARE(m_model->version(), 42);
    QTRY_COMPARE(m_view->lookOf(QStringLiteral("A1")), SeatLook::Held);
    QVERIFY(!m_view->isSelectable(QStringLiteral("A1")));
    QTRY_COMPARE(
        pixelInside(QStringLiteral("A1"), BetweenHatch), SeatPalette::entry(SeatLook::Held).fill);
    QVERIFY(pixelInside(QStringLiteral("A1"), BetweenHatch) != before);
    // Its neighbour did not change.
    QCOMPARE(pixelInside(QStringLiteral("A2")), before);
}

void TestSeatMap::clickSelectsAvailableSeat()
{
    feedSnapshot(7);
    QSignalSpy changed(m_view.get(), &SeatMapView::selectionChanged);
    QTest::mouseClick(
        m_view->viewport(), Qt::LeftButton, {}, m_view->seatViewportPosition(QStringLiteral("B3")));
    QTRY_COMPARE(m_view->selectedSeats(), QStringList{QStringLiteral("B3")});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_view->lookOf(QStringLiteral("B3")), SeatLook::Selected);
    QTRY_COMPARE(pixelInside(QStringLiteral("B3")), SeatPalette::entry(SeatLook::Selected).fill);

    // A second click puts it back.
    QTest::mouseClick(
        m_view->viewport(), Qt::LeftButton, {}, m_view->seatViewportPosition(QStringLiteral("B3")));
    QTRY_VERIFY(m_view->selectedSeats().isEmpty());
    QCOMPARE(m_view->lookOf(QStringLiteral("B3")), SeatLook::Available);
}

void TestSeatMap::clickOnSoldSeatDoesNothing()
{
    feedSnapshot(
        3, {{QStringLiteral("C4"), SeatState::Sold}, {QStringLiteral("C5"), SeatState::Blocked}});
    QTRY_COMPARE(m_view->lookOf(QStringLiteral("C4")), SeatLook::Sold);
    QSignalSpy changed(m_view.get(), &SeatMapView::selectionChanged);
    QTest::mouseClick(
        m_view->viewport(), Qt::LeftButton, {}, m_view->seatViewportPosition(QStringLiteral("C4")));
    QTest::mouseClick(
        m_view->viewport(), Qt::LeftButton, {}, m_view->seatViewportPosition(QStringLiteral("C5")));
    QVERIFY(m_view->selectedSeats().isEmpty());
    QCOMPARE(changed.count(), 0);
    QCOMPARE(m_view->lookOf(QStringLiteral("C4")), SeatLook::Sold);
    QCOMPARE(m_view->lookOf(QStringLiteral("C5")), SeatLook::Blocked);
    // Typing them is refused the same way.
    QCOMPARE(m_view->select({QStringLiteral("C4"), QStringLiteral("C6")}),
        QStringList{QStringLiteral("C4")});
    QCOMPARE(m_view->selectedSeats(), QStringList{QStringLiteral("C6")});
}

void TestSeatMap::selectedSeatTakenElsewhereIsDeselected()
{
    feedSnapshot(10);
    QTest::mouseClick(
        m_view->viewport(), Qt::LeftButton, {}, m_view->seatViewportPosition(QStringLiteral("D2")));
    QTest::mouseClick(
        m_view->viewport(), Qt::LeftButton, {}, m_view->seatViewportPosition(QStringLiteral("D3")));
    QTRY_COMPARE(
        m_view->selectedSeats(), (QStringList{QStringLiteral("D2"), QStringLiteral("D3")}));

    QSignalSpy lost(m_view.get(), &SeatMapView::selectionLost);
    m_model->apply(
        ChannelMessage::seatUpdate(Event, 11, {{QStringLiteral("D2"), SeatState::Held}}));
    QTRY_COMPARE(m_view->selectedSeats(), QStringList{QStringLiteral("D3")});
    QCOMPARE(lost.count(), 1);
    QCOMPARE(lost.first().first().toStringList(), QStringList{QStringLiteral("D2")});
    QCOMPARE(m_view->lookOf(QStringLiteral("D2")), SeatLook::Held);
    QTRY_COMPARE(
        pixelInside(QStringLiteral("D2"), BetweenHatch), SeatPalette::entry(SeatLook::Held).fill);

    // A fresh snapshot that says "sold" drops a selected seat too.
    feedSnapshot(20, {{QStringLiteral("D3"), SeatState::Sold}});
    QTRY_VERIFY(m_view->selectedSeats().isEmpty());
    QCOMPARE(lost.count(), 2);
}

void TestSeatMap::ownHoldIsDrawnApartAndNotSelectable()
{
    feedSnapshot(
        5, {{QStringLiteral("A5"), SeatState::Held}, {QStringLiteral("A6"), SeatState::Held}});
    m_view->setOwnSeats({QStringLiteral("A5")});
    QTRY_COMPARE(m_view->lookOf(QStringLiteral("A5")), SeatLook::InThisSale);
    QCOMPARE(m_view->lookOf(QStringLiteral("A6")), SeatLook::Held);
    QVERIFY(!m_view->isSelectable(QStringLiteral("A5")));
    QTRY_COMPARE(pixelInside(QStringLiteral("A5")), SeatPalette::entry(SeatLook::InThisSale).fill);
    // Once sold, it is sold like any other seat.
    m_model->apply(ChannelMessage::seatUpdate(Event, 6, {{QStringLiteral("A5"), SeatState::Sold}}));
    QTRY_COMPARE(m_view->lookOf(QStringLiteral("A5")), SeatLook::Sold);
}

void TestSeatMap::selectionStopsAtTheHoldLimit()
{
    feedSnapshot(1);
    m_view->setMaxSelection(3);
    QSignalSpy limit(m_view.get(), &SeatMapView::selectionLimitReached);
    const QStringList refused = m_view->select(
        {QStringLiteral("E1"), QStringLiteral("E2"), QStringLiteral("E3"), QStringLiteral("E4")});
    QCOMPARE(refused, QStringList{QStringLiteral("E4")});
    QCOMPARE(m_view->selectedSeats().size(), 3);
    QCOMPARE(limit.count(), 1);
}

void TestSeatMap::staleUpdateIsIgnored()
{
    feedSnapshot(30, {{QStringLiteral("B1"), SeatState::Sold}});
    QCOMPARE(m_model->apply(ChannelMessage::seatUpdate(
                 Event, 30, {{QStringLiteral("B1"), SeatState::Available}})),
        AvailabilityModel::ApplyResult::Stale);
    QCOMPARE(m_model->apply(ChannelMessage::seatUpdate(
                 QStringLiteral("open-air"), 31, {{QStringLiteral("B1"), SeatState::Available}})),
        AvailabilityModel::ApplyResult::OtherEvent);
    QCOMPARE(m_view->lookOf(QStringLiteral("B1")), SeatLook::Sold);
    QCOMPARE(m_model->version(), 30);
}

void TestSeatMap::versionGapAsksForResync()
{
    feedSnapshot(41);
    QSignalSpy resync(m_model.get(), &AvailabilityModel::resyncNeeded);
    // 43 after 41: version 42 was missed.
    QCOMPARE(m_model->apply(
                 ChannelMessage::seatUpdate(Event, 43, {{QStringLiteral("A1"), SeatState::Sold}})),
        AvailabilityModel::ApplyResult::Gap);
    QCOMPARE(resync.count(), 1);
    QVERIFY(m_model->isBehind());
    QCOMPARE(m_model->version(), 41);
    QCOMPARE(m_view->lookOf(QStringLiteral("A1")), SeatLook::Available);
    // Waiting for the snapshot: later updates neither apply nor ask again.
    QCOMPARE(m_model->apply(
                 ChannelMessage::seatUpdate(Event, 44, {{QStringLiteral("A2"), SeatState::Sold}})),
        AvailabilityModel::ApplyResult::Gap);
    QCOMPARE(resync.count(), 1);
    feedSnapshot(
        44, {{QStringLiteral("A1"), SeatState::Sold}, {QStringLiteral("A2"), SeatState::Sold}});
    QVERIFY(!m_model->isBehind());
    QTRY_COMPARE(m_view->lookOf(QStringLiteral("A2")), SeatLook::Sold);
}

void TestSeatMap::channelSendsResyncOnGapAndReconnects()
{
    QWebSocketServer server(QStringLiteral("test"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QList<QWebSocket *> clients;
    QStringList received;
    QStringList paths;
    const QStringList labels = m_view->seatLabels();
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        QWebSocket *socket = server.nextPendingConnection();
        clients.append(socket);
        paths.append(socket->requestUrl().path());
        connect(socket, &QWebSocket::textMessageReceived, this,
            [&received](const QString &text) { received.append(text); });
        socket->sendTextMessage(QString::fromUtf8(
            Protocol::encode(ChannelMessage::snapshotSeated(Event, 1, allAvailable(labels)))));
    });

    EventChannel::Timing fast;
    fast.firstRetryMs = 50;
    fast.maxRetryMs = 200;
    EventChannel channel(fast);
    EventFeed feed(&channel, m_model.get());
    QSignalSpy states(&channel, &EventChannel::stateChanged);
    const QUrl url(
        QStringLiteral("ws://127.0.0.1:%1/events/%2/messages").arg(server.serverPort()).arg(Event));
    feed.follow(Event, EventKind::Seated, url);
    QCOMPARE(channel.state(), EventChannel::State::Connecting);
    QTRY_COMPARE(channel.state(), EventChannel::State::Live);
    QTRY_COMPARE(m_model->version(), 1);
    QCOMPARE(paths, QStringList{QStringLiteral("/events/breakfast-ii/messages")});
    QTRY_COMPARE(m_view->lookOf(QStringLiteral("A1")), SeatLook::Available);

    // Version 2 is lost on the way; 3 arrives.
    clients.first()->sendTextMessage(QString::fromUtf8(Protocol::encode(
        ChannelMessage::seatUpdate(Event, 3, {{QStringLiteral("A1"), SeatState::Held}}))));
    QTRY_COMPARE(received, QStringList{QStringLiteral("{\"type\":\"resync\"}")});
    QCOMPARE(m_view->lookOf(QStringLiteral("A1")), SeatLook::Available);
    clients.first()->sendTextMessage(
        QString::fromUtf8(Protocol::encode(ChannelMessage::snapshotSeated(Event, 3,
            {{QStringLiteral("A1"), SeatState::Held}, {QStringLiteral("A2"), SeatState::Held}}))));
    QTRY_COMPARE(m_view->lookOf(QStringLiteral("A2")), SeatLook::Held);
    QVERIFY(!m_model->isBehind());

    // The server drops us: the clerk sees "Reconnecting", then live again
    // with a fresh snapshot.
    clients.first()->close();
    QTRY_COMPARE(channel.state(), EventChannel::State::Reconnecting);
    QTRY_COMPARE(channel.state(), EventChannel::State::Live);
    QCOMPARE(clients.size(), 2);
    QTRY_COMPARE(m_view->lookOf(QStringLiteral("A2")), SeatLook::Available);
    QCOMPARE(m_model->version(), 1);
    feed.stop();
    QCOMPARE(channel.state(), EventChannel::State::Idle);
}

void TestSeatMap::generalAdmissionCountsFollowUpdates()
{
    AvailabilityModel model;
    model.reset(QStringLiteral("open-air"), EventKind::General);
    QSignalSpy counts(&model, &AvailabilityModel::countsChanged);
    QCOMPARE(model.apply(ChannelMessage::snapshotGeneral(QStringLiteral("open-air"), 7, 120, 500)),
        AvailabilityModel::ApplyResult::Applied);
    QCOMPARE(
        model.apply(ChannelMessage::availabilityUpdate(QStringLiteral("open-air"), 8, 118, 500)),
        AvailabilityModel::ApplyResult::Applied);
    QCOMPARE(model.available(), 118);
    QCOMPARE(counts.count(), 2);
    QCOMPARE(counts.last().at(0).toInt(), 118);
    // A seat update cannot apply to a general-admission event.
    QCOMPARE(model.apply(ChannelMessage::seatUpdate(QStringLiteral("open-air"), 9, {})),
        AvailabilityModel::ApplyResult::Invalid);
    QCOMPARE(
        model.apply(ChannelMessage::availabilityUpdate(QStringLiteral("open-air"), 10, 100, 500)),
        AvailabilityModel::ApplyResult::Gap);
    QCOMPARE(model.available(), 118);
}

void TestSeatMap::typedSeats_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("seats");
    QTest::addColumn<QStringList>("unknown");
    QTest::newRow("plain") << QStringLiteral("A3 A4")
                           << QStringList{QStringLiteral("A3"), QStringLiteral("A4")}
                           << QStringList{};
    QTest::newRow("lower case, commas")
        << QStringLiteral("b1,b2;") << QStringList{QStringLiteral("B1"), QStringLiteral("B2")}
        << QStringList{};
    QTest::newRow("range") << QStringLiteral(
        "C6 - C8") << QStringList{QStringLiteral("C6"), QStringLiteral("C7"), QStringLiteral("C8")}
                           << QStringList{};
    QTest::newRow("short range past the row")
        << QStringLiteral("D7-9") << QStringList{QStringLiteral("D7"), QStringLiteral("D8")}
        << QStringList{QStringLiteral("D9")};
    QTest::newRow("no such seat") << QStringLiteral("Z1 A1 A1") << QStringList{QStringLiteral("A1")}
                                  << QStringList{QStringLiteral("Z1")};
    QTest::newRow("two rows is no range")
        << QStringLiteral("A1-B2") << QStringList{} << QStringList{QStringLiteral("A1-B2")};
}

void TestSeatMap::typedSeats()
{
    QFETCH(QString, text);
    QFETCH(QStringList, seats);
    QFETCH(QStringList, unknown);
    const SeatInput input = SeatInput::parse(text, m_view->seatLabels());
    QCOMPARE(input.seats, seats);
    QCOMPARE(input.unknown, unknown);
}

void TestSeatMap::showTimesAreTheVenues()
{
    // 18:30 UTC is 19:30 in Berlin in winter: the counter says so wherever
    // it runs (the ticket and the web page say the same).
    const QDateTime start(QDate(2026, 12, 21), QTime(18, 30), Qt::UTC);
    const QString berlin = EventList::whenText(start, QStringLiteral("Europe/Berlin"));
    QVERIFY2(berlin.contains(QLatin1String("19:30")), qPrintable(berlin));
    QVERIFY2(berlin.contains(QLatin1String("CET")) || berlin.contains(QLatin1String("GMT+1")),
        qPrintable(berlin));
    const QString tokyo = EventList::whenText(start, QStringLiteral("Asia/Tokyo"));
    QVERIFY2(tokyo.contains(QLatin1String("03:30")), qPrintable(tokyo));
    QVERIFY2(tokyo.contains(QLatin1String("22 Dec")), qPrintable(tokyo));
}

void TestSeatMap::wheelZoomsWherePointerIs()
{
    QCOMPARE(m_view->zoom(), 1.0);
    const QPoint pointer = m_view->seatViewportPosition(QStringLiteral("C4"));
    QWheelEvent wheel(pointer, m_view->viewport()->mapToGlobal(pointer), QPoint(), QPoint(0, 240),
        Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_view->viewport(), &wheel);
    QVERIFY2(qAbs(m_view->zoom() - SeatMapView::ZoomStep * SeatMapView::ZoomStep) < 0.01,
        qPrintable(QString::number(m_view->zoom())));
    // The seat under the pointer is still under it.
    QVERIFY((m_view->seatViewportPosition(QStringLiteral("C4")) - pointer).manhattanLength() <= 2);

    // Never smaller than the whole plan, never beyond the limit.
    for (int i = 0; i < 10; ++i)
        m_view->zoomOut();
    QCOMPARE(m_view->zoom(), 1.0);
    for (int i = 0; i < 30; ++i)
        m_view->zoomIn();
    QVERIFY(qAbs(m_view->zoom() - SeatMapView::MaxZoom) < 0.01);
    // Whole again, and whole after a resize.
    m_view->fitToView();
    m_view->resize(1000, 500);
    QTRY_COMPARE(m_view->zoom(), 1.0);
}

void TestSeatMap::arrowsAndDraggingPanAZoomedMap()
{
    m_view->setFocus();
    QTest::keyClick(m_view.get(), Qt::Key_Plus);
    QTest::keyClick(m_view.get(), Qt::Key_Plus);
    QTest::keyClick(m_view.get(), Qt::Key_Plus);
    QVERIFY(m_view->zoom() > 1.9);
    const QPoint before = m_view->seatViewportPosition(QStringLiteral("C4"));
    QTest::keyClick(m_view.get(), Qt::Key_Right);
    const QPoint after = m_view->seatViewportPosition(QStringLiteral("C4"));
    QCOMPARE(after.y(), before.y());
    QCOMPARE(after.x(), before.x() - m_view->viewport()->width() / 10);

    // A drag that starts between seats moves the plan with the pointer and
    // selects nothing.
    const QPoint c4 = m_view->seatViewportPosition(QStringLiteral("C4"));
    const QPoint d4 = m_view->seatViewportPosition(QStringLiteral("D4"));
    const QPoint floor = (c4 + d4) / 2;
    QTest::mousePress(m_view->viewport(), Qt::LeftButton, {}, floor);
    QTest::mouseMove(m_view->viewport(), floor + QPoint(-40, 0));
    QTest::mouseRelease(m_view->viewport(), Qt::LeftButton, {}, floor + QPoint(-40, 0));
    QCOMPARE(m_view->seatViewportPosition(QStringLiteral("C4")), c4 + QPoint(-40, 0));
    QVERIFY(m_view->selectedSeats().isEmpty());
    QTest::keyClick(m_view.get(), Qt::Key_0);
    QCOMPARE(m_view->zoom(), 1.0);
}

void TestSeatMap::statesCarryAMarkAsWellAsAColour_data()
{
    // Where, in the seat's unit square, each look's mark shows (the web
    // page's #mark-* patterns), and in which colour.
    QTest::addColumn<SeatLook>("look");
    QTest::addColumn<bool>("numbered");
    QTest::addColumn<QPointF>("where");
    QTest::addColumn<QColor>("colour");
    const QColor hatch = SeatPalette::entry(SeatLook::Held).outline;
    QTest::newRow("held: hatched") << SeatLook::Held << false << QPointF(.375, .375) << hatch;
    QTest::newRow("held with its number: hatched too")
        << SeatLook::Held << true << QPointF(.625, .625) << hatch;
    QTest::newRow("blocked: a cross") << SeatLook::Blocked << false << QPointF(.5, .5)
                                      << SeatPalette::entry(SeatLook::Blocked).text;
    QTest::newRow("selected: a tick")
        << SeatLook::Selected << false << QPointF(.44, .68) << QColor(Qt::white);
    QTest::newRow("selected with its number: no tick")
        << SeatLook::Selected << true << QPointF(.44, .68)
        << SeatPalette::entry(SeatLook::Selected).fill;
    QTest::newRow("this sale: a dot")
        << SeatLook::InThisSale << false << QPointF(.5, .5) << QColor(Qt::white);
    QTest::newRow("available: plain") << SeatLook::Available << false << QPointF(.375, .375)
                                      << SeatPalette::entry(SeatLook::Available).fill;
}

void TestSeatMap::statesCarryAMarkAsWellAsAColour()
{
    QFETCH(SeatLook, look);
    QFETCH(bool, numbered);
    QFETCH(QPointF, where);
    QFETCH(QColor, colour);
    QImage image(40, 40, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    const QRectF disc(0, 0, 40, 40);
    {
        QPainter painter(&image);
        painter.setPen(Qt::NoPen);
        painter.setBrush(SeatPalette::entry(look).fill);
        painter.drawEllipse(disc);
        SeatPalette::paintMark(painter, disc, look, numbered);
    }
    const QColor found = image.pixelColor((where * 40).toPoint());
    QVERIFY2(qAbs(found.red() - colour.red()) + qAbs(found.green() - colour.green())
                + qAbs(found.blue() - colour.blue())
            < 40,
        qPrintable(found.name() + QStringLiteral(" instead of ") + colour.name()));
}

QTEST_MAIN(TestSeatMap)
#include "tst_seatmap.moc"
