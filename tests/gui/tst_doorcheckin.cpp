// Door check-in in the counter app against a real in-process server, with
// real widgets offscreen: tickets sold at the counter through the API are
// scanned into the door's input line as a hand-held scanner types them
// (the code, then Enter). The first scan is let in with its seat, the same
// code again is refused with the time it went in (in the venue's zone, not
// the terminal's: the test runs in New York, the venue is in Berlin), an
// unknown code and another event's ticket are refused in plain words, a
// scan read while one is on its way waits its turn, a scan without an
// answer keeps its code for Enter to try again, the count goes from
// "0 of N" up, and the focus never leaves the input line.

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
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Marquee;
using namespace Marquee::Test;

namespace {
const QString Password = QStringLiteral("a door keeper's password");
const QString Breakfast = QStringLiteral("breakfast-ii");
const QString OpenAir = QStringLiteral("open-air");
using Look = DoorResultPanel::Look;
} // namespace

class TestDoorCheckIn : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void scansAtTheDoor();

private:
    QStringList sell(const QString &event, const QStringList &seats, int quantity = 0);
    void scan(DoorView &door, const QString &code);
    static void saveScreenshot(QWidget &widget, const QString &name);

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    QTemporaryDir m_dir;
};

void TestDoorCheckIn::initTestCase()
{
    QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
    m_server = std::make_unique<TestServer>(m_databases.fresh());
    QVERIFY2(m_server->start(), qPrintable(m_server->error()));
    m_server->addUser(QStringLiteral("dora"), Password, Role::Clerk);
}

/// Sells \a seats (or \a quantity places) of \a event at the counter, as a
/// clerk would: a counter cart, a hold, a cash sale. The tickets' codes.
QStringList TestDoorCheckIn::sell(const QString &event, const QStringList &seats, int quantity)
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
    const HttpClient::Response sold
        = http.sellCash(id, staff, {held.json().value(QLatin1String("hold")).toString()});
    QStringList codes;
    const QJsonArray tickets = sold.json().value(QLatin1String("tickets")).toArray();
    for (const QJsonValue &ticket : tickets)
        codes.append(ticket.toObject().value(QLatin1String("code")).toString());
    return sold.status == 201 ? codes : QStringList();
}

/// Types \a code and Enter into whatever has the focus, as a scanner does.
void TestDoorCheckIn::scan(DoorView &door, const QString &code)
{
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(door.scanField()));
    QTest::keyClicks(QApplication::focusWidget(), code);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
}

void TestDoorCheckIn::scansAtTheDoor()
{
    const QStringList seated = sell(Breakfast,
        {QStringLiteral("C12"), QStringLiteral("C13"), QStringLiteral("C14"),
            QStringLiteral("C15")});
    const QStringList general = sell(OpenAir, {}, 1);
    QCOMPARE(seated.size(), 4);
    QCOMPARE(general.size(), 1);
    for (const QString &code : seated + general)
        QVERIFY2(DoorSession::isTicketCode(code), qPrintable(code));

    QSettings store(m_dir.filePath(QStringLiteral("counter.ini")), QSettings::IniFormat);
    ServerSettings settings(&store);
    ApiClient api;
    api.setServer(m_server->httpUrl());
    bool signedIn = false;
    api.signIn(QStringLiteral("dora"), Password, this,
        [&](const ApiResult<StaffSession> &result) { signedIn = result.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(signedIn, 10000);

    // The counter has breakfast-ii open: the door offers it first.
    CounterWindow window(&api, &settings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.reloadEvents();
    auto *events = window.findChild<EventList *>();
    QTRY_VERIFY_WITH_TIMEOUT(events->count() >= 2, 10000);
    for (int row = 0; row < events->count(); ++row) {
        if (events->item(row)->text().contains(QLatin1String("Breakfast: A Sequel")))
            events->setCurrentRow(row);
    }
    QTRY_VERIFY_WITH_TIMEOUT(window.seatMap()->hasPlan(), 10000);
    // Ctrl+D opens the door from the middle of typing seats too.
    QTest::keyClick(&window, Qt::Key_L, Qt::ControlModifier);
    QTRY_VERIFY(qobject_cast<QLineEdit *>(QApplication::focusWidget()));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_D, Qt::ControlModifier);
    QPointer<DoorView> door = window.findChild<DoorView *>();
    QVERIFY(door);
    QTRY_VERIFY(door->isVisible());
    QVERIFY(QTest::qWaitForWindowActive(door));
    QTRY_VERIFY_WITH_TIMEOUT(door->eventPicker()->currentItem()
            && door->eventPicker()->currentItem()->text().contains(
                QLatin1String("Breakfast: A Sequel")),
        10000);
    // Shown at 19:30 in Berlin, the venue's zone, not New York's 13:30.
    QVERIFY2(door->eventPicker()->currentItem()->text().contains(QLatin1String("19:30")),
        qPrintable(door->eventPicker()->currentItem()->text()));
    QTest::keyClick(door->eventPicker(), Qt::Key_Return);
    QVERIFY(door->session());
    QCOMPARE(door->session()->event().slug, Breakfast);
    QTRY_COMPARE_WITH_TIMEOUT(door->countsLabel()->text(), QStringLiteral("Entered 0 of 4"), 10000);
    QSignalSpy cues(door, &DoorView::cueSounded);
    DoorResultPanel *result = door->resultPanel();

    scan(*door, seated.at(0));
    QTRY_COMPARE_WITH_TIMEOUT(result->look(), Look::Admitted, 10000);
    QCOMPARE(result->verdictText(), QStringLiteral("✓ OK"));
    QCOMPARE(result->mainText(), QStringLiteral("Row C · Seat 12"));
    QCOMPARE(result->detailText(), QStringLiteral("Stalls"));
    QVERIFY(door->scanField()->text().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(door->countsLabel()->text(), QStringLiteral("Entered 1 of 4"), 10000);
    QCOMPARE(cues.takeLast().at(0).toInt(), 1);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(door->scanField()));
    saveScreenshot(*door, QStringLiteral("counter-door-ok.png"));

    // The same ticket again: in already, since when in the venue's time.
    const QString enteredAt = m_server->clock()
                                  .now()
                                  .toTimeZone(QTimeZone("Europe/Berlin"))
                                  .toString(QStringLiteral("HH:mm"));
    scan(*door, seated.at(0));
    QTRY_COMPARE_WITH_TIMEOUT(result->look(), Look::Refused, 10000);
    QCOMPARE(result->verdictText(), QStringLiteral("✗ ALREADY IN"));
    QVERIFY2(result->mainText().contains(enteredAt), qPrintable(result->mainText()));
    QCOMPARE(cues.takeLast().at(0).toInt(), 3);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(door->scanField()));
    saveScreenshot(*door, QStringLiteral("counter-door-refused.png"));

    scan(*door, QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    QTRY_COMPARE_WITH_TIMEOUT(result->verdictText(), QStringLiteral("✗ UNKNOWN TICKET"), 10000);
    QCOMPARE(result->look(), Look::Refused);

    // Another event's valid ticket is refused, and says which event it is for.
    scan(*door, general.at(0));
    QTRY_COMPARE_WITH_TIMEOUT(result->verdictText(), QStringLiteral("✗ OTHER EVENT"), 10000);
    QVERIFY2(result->mainText().contains(QLatin1String("Open Air: Brunch in the Park")),
        qPrintable(result->mainText()));
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(door->scanField()));

    // Two scans in a row, the second typed while the first is on its way:
    // both are checked, in the order they were read.
    scan(*door, seated.at(1));
    scan(*door, seated.at(2));
    QTRY_COMPARE_WITH_TIMEOUT(door->countsLabel()->text(), QStringLiteral("Entered 3 of 4"), 10000);
    QTRY_COMPARE(door->session()->pending(), 0);
    QCOMPARE(result->mainText(), QStringLiteral("Row C · Seat 14"));
    QVERIFY2(door->history()->item(0)->text().contains(QLatin1String("Seat 14")),
        qPrintable(door->history()->item(0)->text()));
    QVERIFY2(door->history()->item(1)->text().contains(QLatin1String("Seat 13")),
        qPrintable(door->history()->item(1)->text()));
    QCOMPARE(door->history()->count(), 6);

    // No server: not checked, the code stays for Enter to try again.
    api.setServer(QUrl(QStringLiteral("http://127.0.0.1:9")));
    scan(*door, seated.at(3));
    QTRY_COMPARE_WITH_TIMEOUT(result->look(), Look::Trouble, 10000);
    QCOMPARE(result->verdictText(), QStringLiteral("⚠ NOT CHECKED"));
    QCOMPARE(door->scanField()->text(), seated.at(3));
    QCOMPARE(cues.takeLast().at(0).toInt(), 2);
    saveScreenshot(*door, QStringLiteral("counter-door-trouble.png"));
    api.setServer(m_server->httpUrl());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(result->look(), Look::Admitted, 10000);
    QCOMPARE(result->mainText(), QStringLiteral("Row C · Seat 15"));
    QTRY_COMPARE_WITH_TIMEOUT(door->countsLabel()->text(), QStringLiteral("Entered 4 of 4"), 10000);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(door->scanField()));

    // Escape: back to selling.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QTRY_VERIFY(!door);
    QTRY_COMPARE(QApplication::activeWindow(), static_cast<QWidget *>(&window));
}

/// MARQUEE_SCREENSHOT_DIR=resources/screenshots keeps the door's screen as
/// the attendant sees it.
void TestDoorCheckIn::saveScreenshot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("MARQUEE_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(widget.grab().save(QDir(dir).filePath(name)));
}

QTEST_MAIN(TestDoorCheckIn)
#include "tst_doorcheckin.moc"
