// Door check-in in the counter app against a real in-process server, with
// real widgets offscreen: tickets sold at the counter through the API are
// scanned into the door's input line as a hand-held scanner types them
// (the code, then Enter). F9 opens the door for the counter's event;
// the first scan is let in with its seat; the same code again is refused
// with the time it went in (in the venue's zone, not the terminal's: the
// test runs in New York, the venue is in Berlin); unknown, refunded and
// another event's tickets are refused in plain words; a scan read while one
// is on its way waits its turn; a scan without an answer keeps its code for
// Enter, and one whose answer was lost after it went in lets the guest in
// on the retry; the count goes from "0 of N" up; the focus never leaves the
// input line; Escape goes back to selling.

#include "AnswerLosingProxy.h"
#include "CounterFixture.h"
#include "HttpClient.h"
#include "TestDatabases.h"
#include "TestServer.h"
#include "model/ServerSettings.h"
#include "net/ApiClient.h"
#include "widgets/CounterWindow.h"
#include "widgets/DoorView.h"
#include "widgets/EventList.h"
#include "widgets/SeatMapView.h"

#include <QApplication>
#include <QDir>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Marquee;
using namespace Marquee::Test;
using CounterFixture::saveScreenshot;

namespace {

const QString Password = QStringLiteral("a door keeper's password");
const QString Breakfast = QStringLiteral("breakfast-ii");
const QString OpenAir = QStringLiteral("open-air");
using Look = DoorResultPanel::Look;
} // namespace

class TestDoorCheckIn : public QObject
{
    Q_OBJECT

    // One door, used step by step in the order below, as an attendant would.
private slots:
    void initTestCase();
    void ctrlDOpensTheDoorForTheCountersEvent();
    void aTicketGetsInOnce();
    void refusalsSayWhy();
    void aScanReadMeanwhileWaitsItsTurn();
    void noAnswerKeepsTheCodeForEnter();
    void aLostAnswerLetsTheGuestIn();
    void ctrlEPicksAnotherEvent();
    void escapeGoesBackToSelling();
    void cleanupTestCase();

private:
    struct Sale
    {
        QString order;
        QStringList codes;
    };
    Sale sell(const QString &event, const QStringList &seats, int quantity = 0);
    /// Types \a code and Enter into whatever has the focus, as a scanner does.
    void scan(const QString &code);
    /// Where the keys go; a test with no focus at all cannot go on.
    static QWidget *focused()
    {
        QWidget *widget = QApplication::focusWidget();
        if (!widget)
            qFatal("no widget has the focus");
        return widget;
    }
    bool focusInScanField() const { return QApplication::focusWidget() == m_door->scanField(); }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_store;
    std::unique_ptr<ServerSettings> m_settings;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<CounterWindow> m_window;
    DoorView *m_door = nullptr; // the counter window owns it
    DoorResultPanel *m_result = nullptr;
    std::unique_ptr<QSignalSpy> m_cues;
    QStringList m_seated; ///< breakfast-ii, C12 to C16
    QStringList m_general; ///< open-air, one place
    Sale m_refunded; ///< breakfast-ii, D1
};

void TestDoorCheckIn::initTestCase()
{
    QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
    m_server = std::make_unique<TestServer>(m_databases.fresh());
    QVERIFY2(m_server->start(), qPrintable(m_server->error()));
    m_server->addUser(QStringLiteral("dora"), Password, Role::Clerk);

    m_seated = sell(Breakfast,
        {QStringLiteral("C12"), QStringLiteral("C13"), QStringLiteral("C14"), QStringLiteral("C15"),
            QStringLiteral("C16")})
                   .codes;
    m_general = sell(OpenAir, {}, 1).codes;
    QCOMPARE(m_seated.size(), 5);
    QCOMPARE(m_general.size(), 1);
    for (const QString &code : m_seated + m_general)
        QVERIFY2(DoorSession::isTicketCode(code), qPrintable(code));
    // A refunded ticket: no longer valid, and not counted as sold.
    m_refunded = sell(Breakfast, {QStringLiteral("D1")});
    QCOMPARE(m_refunded.codes.size(), 1);
    QCOMPARE(HttpClient(m_server->httpUrl())
                 .post(QStringLiteral("/api/v1/orders/%1/refund").arg(m_refunded.order),
                     QJsonObject(), m_server->staffToken())
                 .status,
        200);

    m_store = std::make_unique<QSettings>(
        m_dir.filePath(QStringLiteral("counter.ini")), QSettings::IniFormat);
    m_settings = std::make_unique<ServerSettings>(m_store.get());
    m_api = std::make_unique<ApiClient>();
    m_api->setServer(m_server->httpUrl());
    bool signedIn = false;
    m_api->signIn(QStringLiteral("dora"), Password, this,
        [&](const ApiResult<StaffSession> &result) { signedIn = result.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(signedIn, 10000);
}

void TestDoorCheckIn::cleanupTestCase()
{
    m_cues.reset();
    m_window.reset();
}

/// Sells \a seats (or \a quantity places) of \a event at the counter, as a
/// clerk would: a counter cart, a hold, a cash sale.
TestDoorCheckIn::Sale TestDoorCheckIn::sell(
    const QString &event, const QStringList &seats, int quantity)
{
    HttpClient http(m_server->httpUrl());
    const QString staff = m_server->staffToken();
    const QJsonObject cart = http.post(QStringLiteral("/api/v1/carts"), QByteArray(), staff).json();
    const QString id = cart.value(QLatin1String("cart")).toString();
    const QString token = cart.value(QLatin1String("token")).toString();
    const HttpClient::Response held = quantity > 0 ? http.holdPlaces(id, token, event, quantity)
                                                   : http.holdSeats(id, token, event, seats);
    if (held.status != 201)
        return {};
    Sale sale;
    const HttpClient::Response sold
        = http.sellCash(id, staff, {held.json().value(QLatin1String("hold")).toString()});
    sale.order = sold.json().value(QLatin1String("order")).toString();
    const QJsonArray tickets = sold.json().value(QLatin1String("tickets")).toArray();
    for (const QJsonValue &ticket : tickets)
        sale.codes.append(ticket.toObject().value(QLatin1String("code")).toString());
    return sold.status == 201 ? sale : Sale();
}

void TestDoorCheckIn::scan(const QString &code)
{
    QTRY_VERIFY(focusInScanField());
    QTest::keyClicks(focused(), code);
    QTest::keyClick(focused(), Qt::Key_Return);
}

void TestDoorCheckIn::ctrlDOpensTheDoorForTheCountersEvent()
{
    m_window = std::make_unique<CounterWindow>(m_api.get(), m_settings.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->reloadEvents();
    auto *events = m_window->findChild<EventList *>();
    QTRY_VERIFY_WITH_TIMEOUT(events->count() >= 2, 10000);
    for (int row = 0; row < events->count(); ++row) {
        if (events->item(row)->text().contains(QLatin1String("Breakfast: A Sequel")))
            events->setCurrentRow(row);
    }
    QTRY_VERIFY_WITH_TIMEOUT(m_window->seatMap()->hasPlan(), 10000);
    // F9 opens the door from the middle of typing seats too.
    QTest::keyClick(m_window.get(), Qt::Key_L, Qt::ControlModifier);
    QTRY_VERIFY(qobject_cast<QLineEdit *>(QApplication::focusWidget()));
    QTest::keyClick(focused(), Qt::Key_F9);
    m_door = m_window->findChild<DoorView *>();
    QVERIFY(m_door);
    QTRY_VERIFY(m_door->isVisible());
    QVERIFY(QTest::qWaitForWindowActive(m_door));
    const auto offered = [this] {
        const QListWidgetItem *item = m_door->eventPicker()->currentItem();
        return item ? item->text() : QString();
    };
    QTRY_VERIFY_WITH_TIMEOUT(offered().contains(QLatin1String("Breakfast: A Sequel")), 10000);
    // At 19:30 in Berlin, the venue's zone, not New York's 13:30.
    QVERIFY2(offered().contains(QLatin1String("19:30")), qPrintable(offered()));
    QTest::keyClick(m_door->eventPicker(), Qt::Key_Return);
    QVERIFY(m_door->session());
    const DoorSession *breakfast = m_door->session();
    QVERIFY(breakfast);
    QCOMPARE(breakfast->event().slug, Breakfast);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_door->countsLabel()->text(), QStringLiteral("Entered 0 of 5"), 10000);
    QVERIFY(focusInScanField());
    m_result = m_door->resultPanel();
    m_cues = std::make_unique<QSignalSpy>(m_door, &DoorView::cueSounded);
}

void TestDoorCheckIn::aTicketGetsInOnce()
{
    QVERIFY(m_door);
    scan(m_seated.at(0));
    QTRY_COMPARE_WITH_TIMEOUT(m_result->look(), Look::Admitted, 10000);
    QCOMPARE(m_result->verdictText(), QStringLiteral("✓ OK"));
    QCOMPARE(m_result->mainText(), QStringLiteral("Row C · Seat 12"));
    QCOMPARE(m_result->detailText(), QStringLiteral("Stalls"));
    QVERIFY(m_door->scanField()->text().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(
        m_door->countsLabel()->text(), QStringLiteral("Entered 1 of 5"), 10000);
    QCOMPARE(m_cues->takeLast().at(0).toInt(), 1);
    QVERIFY(focusInScanField());
    saveScreenshot(*m_door, QStringLiteral("counter-door-ok.png"));

    // The same ticket again: in already, since when in the venue's time.
    const QString enteredAt = m_server->clock()
                                  .now()
                                  .toTimeZone(QTimeZone("Europe/Berlin"))
                                  .toString(QStringLiteral("HH:mm"));
    scan(m_seated.at(0));
    QTRY_COMPARE_WITH_TIMEOUT(m_result->look(), Look::Refused, 10000);
    QCOMPARE(m_result->verdictText(), QStringLiteral("✗ ALREADY IN"));
    QVERIFY2(m_result->mainText().contains(enteredAt), qPrintable(m_result->mainText()));
    QCOMPARE(m_cues->takeLast().at(0).toInt(), 3);
    QVERIFY(focusInScanField());
    saveScreenshot(*m_door, QStringLiteral("counter-door-refused.png"));
}

void TestDoorCheckIn::refusalsSayWhy()
{
    QVERIFY(m_door);
    scan(QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    QTRY_COMPARE_WITH_TIMEOUT(m_result->verdictText(), QStringLiteral("✗ UNKNOWN TICKET"), 10000);
    QCOMPARE(m_result->look(), Look::Refused);

    scan(m_refunded.codes.at(0));
    QTRY_COMPARE_WITH_TIMEOUT(m_result->verdictText(), QStringLiteral("✗ REFUNDED"), 10000);
    QCOMPARE(m_result->detailText(), QStringLiteral("Row D · Seat 1 · Stalls"));

    // Another event's valid ticket says which event it is for.
    scan(m_general.at(0));
    QTRY_COMPARE_WITH_TIMEOUT(m_result->verdictText(), QStringLiteral("✗ OTHER EVENT"), 10000);
    QVERIFY2(m_result->mainText().contains(QLatin1String("Open Air: Brunch in the Park")),
        qPrintable(m_result->mainText()));
    QVERIFY(focusInScanField());
    QCOMPARE(m_door->countsLabel()->text(), QStringLiteral("Entered 1 of 5"));
    saveScreenshot(*m_door, QStringLiteral("counter-door-other-event.png"));
}

void TestDoorCheckIn::aScanReadMeanwhileWaitsItsTurn()
{
    QVERIFY(m_door);
    // The second is typed while the first is on its way: both are checked,
    // in the order they were read.
    scan(m_seated.at(1));
    scan(m_seated.at(2));
    QTRY_COMPARE_WITH_TIMEOUT(
        m_door->countsLabel()->text(), QStringLiteral("Entered 3 of 5"), 10000);
    const DoorSession *session = m_door->session();
    QVERIFY(session);
    QTRY_COMPARE(session->pending(), 0);
    QCOMPARE(m_result->mainText(), QStringLiteral("Row C · Seat 14"));
    const QListWidget *history = m_door->history();
    QCOMPARE(history->count(), 7);
    QVERIFY2(history->item(0)->text().contains(QLatin1String("Seat 14")),
        qPrintable(history->item(0)->text()));
    QVERIFY2(history->item(1)->text().contains(QLatin1String("Seat 13")),
        qPrintable(history->item(1)->text()));
}

void TestDoorCheckIn::noAnswerKeepsTheCodeForEnter()
{
    QVERIFY(m_door);
    m_api->setServer(QUrl(QStringLiteral("http://127.0.0.1:9")));
    scan(m_seated.at(3));
    QTRY_COMPARE_WITH_TIMEOUT(m_result->look(), Look::Trouble, 10000);
    QCOMPARE(m_result->verdictText(), QStringLiteral("⚠ NOT CHECKED"));
    QCOMPARE(m_door->scanField()->text(), m_seated.at(3));
    QCOMPARE(m_cues->takeLast().at(0).toInt(), 2);
    saveScreenshot(*m_door, QStringLiteral("counter-door-trouble.png"));

    m_api->setServer(m_server->httpUrl());
    QTest::keyClick(focused(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_result->look(), Look::Admitted, 10000);
    QCOMPARE(m_result->mainText(), QStringLiteral("Row C · Seat 15"));
    QTRY_COMPARE_WITH_TIMEOUT(
        m_door->countsLabel()->text(), QStringLiteral("Entered 4 of 5"), 10000);
    QVERIFY(focusInScanField());
}

void TestDoorCheckIn::aLostAnswerLetsTheGuestIn()
{
    QVERIFY(m_door);
    // The ticket goes in but the answer is lost: "not checked". The retry
    // carries the scan's Idempotency-Key, so the server answers it with the
    // first verdict: the guest in front of the attendant is let in.
    AnswerLosingProxy proxy(
        quint16(m_server->httpUrl().port()), 2, QByteArrayLiteral("POST /api/v1/checkin"));
    QUrl viaProxy = m_server->httpUrl();
    viaProxy.setPort(proxy.port());
    m_api->setServer(viaProxy);
    scan(m_seated.at(4));
    QTRY_COMPARE_WITH_TIMEOUT(m_result->look(), Look::Trouble, 15000);
    QVERIFY(proxy.lost() >= 1);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_door->countsLabel()->text(), QStringLiteral("Entered 5 of 5"), 10000);
    m_api->setServer(m_server->httpUrl());
    QCOMPARE(m_door->scanField()->text(), m_seated.at(4));
    QTest::keyClick(focused(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_result->look(), Look::Admitted, 10000);
    QCOMPARE(m_result->mainText(), QStringLiteral("Row C · Seat 16"));
    QCOMPARE(m_result->verdictText(), QStringLiteral("✓ OK"));
    QCOMPARE(m_door->countsLabel()->text(), QStringLiteral("Entered 5 of 5"));
}

void TestDoorCheckIn::ctrlEPicksAnotherEvent()
{
    QVERIFY(m_door);
    QTest::keyClick(focused(), Qt::Key_F, Qt::ControlModifier);
    QListWidget *picker = m_door->eventPicker();
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(picker));
    QVERIFY(picker->currentItem());
    while (picker->currentItem()
        && !picker->currentItem()->text().startsWith(QLatin1String("Open Air"))
        && picker->currentRow() + 1 < picker->count())
        QTest::keyClick(picker, Qt::Key_Down);
    QTest::keyClick(picker, Qt::Key_Return);
    const DoorSession *openAir = m_door->session();
    QVERIFY(openAir);
    QCOMPARE(openAir->event().slug, OpenAir);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_door->countsLabel()->text(), QStringLiteral("Entered 0 of 1"), 10000);
    QCOMPARE(m_door->history()->count(), 0); // the other door's scans are not this one's
    scan(m_general.at(0));
    QTRY_COMPARE_WITH_TIMEOUT(m_result->look(), Look::Admitted, 10000);
    QCOMPARE(m_result->mainText(), QStringLiteral("General admission"));
    QCOMPARE(m_result->detailText(), QStringLiteral("Standing"));
    QTRY_COMPARE_WITH_TIMEOUT(
        m_door->countsLabel()->text(), QStringLiteral("Entered 1 of 1"), 10000);
}

void TestDoorCheckIn::escapeGoesBackToSelling()
{
    QVERIFY(m_door);
    const QPointer<DoorView> door(m_door); // tells when the window is gone
    QTest::keyClick(focused(), Qt::Key_Escape);
    QTRY_VERIFY(!door);
    m_door = nullptr;
    QTRY_COMPARE(QApplication::activeWindow(), static_cast<QWidget *>(m_window.get()));
}

QTEST_MAIN(TestDoorCheckIn)
#include "tst_doorcheckin.moc"
