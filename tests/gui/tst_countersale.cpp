// The counter's sale against a real in-process server, with real widgets
// offscreen, on two clocks the test moves: the server's and the terminal's.
// They are days apart on purpose: holds count down against the server's
// time (its Date header), not the terminal's. A hold warns before it runs
// out, Ctrl+T gives it more time up to the limit, and one that ran out stays
// listed for Ctrl+T or Sell to hold again. One press sells what is typed;
// notices go when their cause does; cancelling a sale asks.

#include "AnswerLosingProxy.h"
#include "CounterFixture.h"
#include "HoldExpiry.h"
#include "HttpClient.h"
#include "TestDatabases.h"
#include "TestServer.h"
#include "model/HoldCountdown.h"
#include "model/SaleSession.h"
#include "model/ServerSettings.h"
#include "net/ApiClient.h"
#include "widgets/CounterWindow.h"
#include "widgets/Legend.h"
#include "widgets/SalePanel.h"
#include "widgets/SeatMapView.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QHelpEvent>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

using namespace Marquee;
using namespace Marquee::Test;

namespace {
const QString Password = QStringLiteral("sam's password");
constexpr qint64 Minute = 60'000;
} // namespace

class TestCounterSale : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_server->addUser(QStringLiteral("sam"), Password, Role::Clerk);
        m_http = std::make_unique<HttpClient>(m_server->httpUrl());
    }

    void init()
    {
        m_store = std::make_unique<QSettings>(
            m_dir.filePath(QStringLiteral("counter.ini")), QSettings::IniFormat);
        m_store->clear();
        m_settings = std::make_unique<ServerSettings>(m_store.get());
        m_api = std::make_unique<ApiClient>();
        m_api->setClock(&m_clock);
        m_window = std::make_unique<CounterWindow>(m_api.get(), m_settings.get());
        CounterFixture::signIn(*m_window, m_server->httpUrl(), QStringLiteral("sam"), Password);
        if (QTest::currentTestFailed())
            return;
        CounterFixture::openEvent(*m_window, QStringLiteral("Breakfast"));
        if (QTest::currentTestFailed())
            return;
        QTRY_VERIFY_WITH_TIMEOUT(m_window->seatMap()->hasPlan(), 10000);
        m_sale = m_window->findChild<SaleSession *>();
        m_panel = m_window->findChild<SalePanel *>();
        m_countdown = m_window->findChild<HoldCountdown *>();
        QVERIFY(m_sale && m_panel && m_countdown);
        m_panel->seatEntry()->setFocus();
    }

    void cleanup()
    {
        if (m_sale && !m_sale->holds().isEmpty())
            m_sale->cancel();
        m_sale = nullptr;
        m_panel = nullptr;
        m_countdown = nullptr;
        m_window.reset();
        m_api.reset();
    }

    void aHoldCountsDownWarnsAndGetsMoreTime()
    {
        holdTyped(QStringLiteral("C3 C4"));
        const Hold hold = m_sale->holds().constFirst();
        QCOMPARE(hold.seats, (QStringList{QStringLiteral("C3"), QStringLiteral("C4")}));
        QCOMPARE(hold.renewalsLeft, 2);
        // 15 minutes by the server's clock, days away from the terminal's.
        const qint64 left = m_countdown->remainingMs(hold);
        QVERIFY2(
            left > 15 * Minute - 1500 && left <= 15 * Minute, qPrintable(QString::number(left)));
        QTRY_COMPARE(m_panel->holdsTitle(), QStringLiteral("Held for this sale · 15:00 left"));
        // The counter as the README shows it: a hold, and two more seats picked.
        QCOMPARE(m_window->seatMap()->select({QStringLiteral("C7"), QStringLiteral("C8")}),
            QStringList());
        CounterFixture::saveScreenshot(*m_window, QStringLiteral("counter.png"));
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_Escape);
        QCOMPARE(m_window->seatMap()->selectedSeats(), QStringList());

        advance(13 * Minute + 30'000);
        QTRY_COMPARE(m_panel->holdsTitle(), QStringLiteral("Held for this sale · 1:30 left"));
        QTRY_VERIFY(m_panel->noticeText().contains(QLatin1String("Press Ctrl+T for more time")));
        QCOMPARE(
            m_panel->holdsView()->topLevelItem(0)->foreground(0).color(), QColor(0x92, 0x40, 0x0e));
        QVERIFY(
            m_panel->holdsView()->topLevelItem(0)->text(0).contains(QLatin1String("1:30 left")));
        CounterFixture::saveScreenshot(*m_window, QStringLiteral("counter-hold-warning.png"));

        // More time, from where the cursor is.
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_T, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(m_sale->holds().constFirst().renewalsLeft, 1, 10000);
        QVERIFY(m_sale->holds().constFirst().expiresAt > hold.expiresAt);
        QTRY_COMPARE(m_panel->holdsTitle(), QStringLiteral("Held for this sale · 15:00 left"));
        QVERIFY(m_panel->noticeText().startsWith(QLatin1String("More time: C3, C4")));
        // The server gave it: past the first end, the seats are still held.
        advance(2 * Minute);
        QCOMPARE(seatState(QStringLiteral("C3")), QStringLiteral("held"));

        QTest::keyClick(m_panel->seatEntry(), Qt::Key_T, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(m_sale->holds().constFirst().renewalsLeft, 0, 10000);
        // Nothing left to renew: More time is off.
        QAction *more = m_window->findChild<QAction *>(QStringLiteral("moreTime"));
        QVERIFY(more && !more->isEnabled());
        // (29 minutes in all: the clerk's session, idle for 30, still holds.)
        advance(13 * Minute + 30'000);
        QTRY_VERIFY(m_panel->noticeText().contains(QLatin1String("cannot be extended again")));
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(m_sale->holds().isEmpty() && !m_sale->isBusy(), 10000);
        QCOMPARE(seatState(QStringLiteral("C4")), QStringLiteral("sold"));
    }

    void aHoldThatRanOutStaysListedAndSellsWithOnePress()
    {
        holdTyped(QStringLiteral("D1 D2"));
        advance(15 * Minute + HoldCountdown::GraceMs + 1000);
        QCOMPARE(seatState(QStringLiteral("D1")), QStringLiteral("available"));
        QTRY_COMPARE(m_sale->lapsed().size(), 1);
        QVERIFY(m_sale->holds().isEmpty());
        QVERIFY2(m_panel->holdsView()->topLevelItem(0)->text(0).contains(
                     QStringLiteral("D1, D2 · ran out, not held")),
            qPrintable(m_panel->holdsView()->topLevelItem(0)->text(0)));
        QVERIFY(m_panel->noticeText().contains(QLatin1String("ran out")));
        QTRY_COMPARE(m_window->seatMap()->lookOf(QStringLiteral("D1")), SeatLook::Available);
        CounterFixture::saveScreenshot(*m_window, QStringLiteral("counter-hold-lapsed.png"));

        // A lapsed seat picked again by hand is in the sale once, not twice.
        QTest::keyClicks(m_panel->seatEntry(), QStringLiteral("D1"));
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_H, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(m_sale->holds().size() == 1 && !m_sale->isBusy(), 10000);
        QCOMPARE(m_sale->lapsed().size(), 1);
        QCOMPARE(m_sale->lapsed().constFirst().seats, QStringList{QStringLiteral("D2")});

        QTest::keyClick(m_panel->seatEntry(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_panel->noticeText().startsWith(QLatin1String("Paid in cash")), 10000);
        QVERIFY(m_sale->lapsed().isEmpty());
        QCOMPARE(seatState(QStringLiteral("D1")), QStringLiteral("sold"));
        QCOMPARE(seatState(QStringLiteral("D2")), QStringLiteral("sold"));
    }

    void aSeatTakenMeanwhileIsNamedAndTheRestHeldAgain()
    {
        holdTyped(QStringLiteral("E5 E6"));
        advance(15 * Minute + HoldCountdown::GraceMs + 1000);
        QTRY_COMPARE(m_sale->lapsed().size(), 1);
        const auto [cart, token] = m_http->newCart();
        QCOMPARE(
            m_http->holdSeats(cart, token, QStringLiteral("breakfast-ii"), {QStringLiteral("E6")})
                .status,
            201);

        QTest::keyClick(m_panel->seatEntry(), Qt::Key_T, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!m_sale->isBusy() && m_sale->lapsed().isEmpty(), 10000);
        QCOMPARE(m_sale->holds().size(), 1);
        QCOMPARE(m_sale->holds().constFirst().seats, QStringList{QStringLiteral("E5")});
        QCOMPARE(
            m_panel->noticeText(), QStringLiteral("Taken meanwhile: E6. The rest is held again."));
        QCOMPARE(seatState(QStringLiteral("E5")), QStringLiteral("held"));

        // Cancelling asks; No keeps the sale, Yes puts the seat back on sale.
        answerNextQuestion(QMessageBox::No);
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_Escape, Qt::ShiftModifier);
        QVERIFY(m_answered);
        QVERIFY(m_question.contains(QLatin1String("E5")));
        QCOMPARE(m_sale->holds().size(), 1);
        // (Offscreen, no window manager gives the window back its focus.)
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        answerNextQuestion(QMessageBox::Yes);
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_Escape, Qt::ShiftModifier);
        QVERIFY(m_answered);
        QVERIFY(m_sale->holds().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(
            seatState(QStringLiteral("E5")), QStringLiteral("available"), 5000);
    }

    // The network loses every answer to a sale that went through: the
    // clerk is told it may have, its holds are not lapsed when their time
    // is up, and Sell again finds the one sale instead of re-holding seats
    // that are sold.
    void aSaleWhoseAnswerWasLostIsNotLapsed()
    {
        holdTyped(QStringLiteral("H5 H6"));
        AnswerLosingProxy proxy(m_server->server().port(), 2 * ApiClient::SaleAttempts,
            QByteArrayLiteral("POST /api/v1/counter/sales"));
        m_api->setServer(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(proxy.port())));
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!m_sale->isBusy() && m_sale->isSaleUnsure(), 20000);
        QVERIFY2(m_panel->noticeText().contains(QLatin1String("may have gone through")),
            qPrintable(m_panel->noticeText()));
        QCOMPARE(seatState(QStringLiteral("H5")), QStringLiteral("sold"));

        advance(15 * Minute + HoldCountdown::GraceMs + 1000);
        m_countdown->check();
        QVERIFY(m_sale->lapsed().isEmpty());
        QCOMPARE(m_sale->holds().size(), 1);

        QTest::keyClick(m_panel->seatEntry(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_panel->noticeText().startsWith(QLatin1String("Paid in cash")), 10000);
        QVERIFY(m_sale->holds().isEmpty() && m_sale->lapsed().isEmpty());
        QVERIFY(!m_sale->isSaleUnsure());
    }

    void onePressSellsWhatIsTyped()
    {
        QTest::keyClicks(m_panel->seatEntry(), QStringLiteral("F1 F2"));
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_panel->noticeText().startsWith(QLatin1String("Paid in cash")), 10000);
        QCOMPARE(seatState(QStringLiteral("F1")), QStringLiteral("sold"));
        QCOMPARE(seatState(QStringLiteral("F2")), QStringLiteral("sold"));

        // A typo sells nothing and says so; the notice goes once the entry is right.
        QTest::keyClicks(m_panel->seatEntry(), QStringLiteral("F3 Z99"));
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(m_panel->noticeText(), QStringLiteral("No such seat: Z99"));
        QVERIFY(!m_sale->isBusy());
        QCOMPARE(seatState(QStringLiteral("F3")), QStringLiteral("available"));
        m_panel->seatEntry()->clear();
        QTest::keyClicks(m_panel->seatEntry(), QStringLiteral("F3"));
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_Return);
        QCOMPARE(m_panel->noticeText(), QString());
        QCOMPARE(m_window->seatMap()->selectedSeats(), QStringList{QStringLiteral("F3")});
    }

    void aConnectionNoticeGoesOnceTheServerAnswers()
    {
        const QUrl server = m_api->server();
        m_api->setServer(QUrl(QStringLiteral("http://127.0.0.1:1")));
        QTest::keyClicks(m_panel->seatEntry(), QStringLiteral("G1"));
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_H, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!m_panel->noticeText().isEmpty() && !m_sale->isBusy(), 10000);
        const QString notice = m_panel->noticeText();
        // Any answer from the server makes it out of date: here the reload.
        m_api->setServer(server);
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_F5);
        QTRY_COMPARE_WITH_TIMEOUT(m_panel->noticeText(), QString(), 10000);
        QVERIFY2(notice.contains(QLatin1String("127.0.0.1")), qPrintable(notice));
    }

    void aSeatHeldElsewhereSaysUntilWhen()
    {
        const auto [cart, token] = m_http->newCart();
        const auto held = m_http->holdSeats(
            cart, token, QStringLiteral("breakfast-ii"), {QStringLiteral("G5")});
        QCOMPARE(held.status, 201);
        const QString until = QLocale().toString(
            QDateTime::fromString(
                held.json().value(QLatin1String("expiresAt")).toString(), Qt::ISODate)
                .toLocalTime()
                .time(),
            QStringLiteral("HH:mm"));
        SeatMapView *map = m_window->seatMap();
        QTRY_COMPARE(map->lookOf(QStringLiteral("G5")), SeatLook::Held);

        // The pointer resting on the seat asks; the tooltip then says.
        const QPoint pos = map->seatViewportPosition(QStringLiteral("G5"));
        QHelpEvent help(QEvent::ToolTip, pos, map->viewport()->mapToGlobal(pos));
        QApplication::sendEvent(map->viewport(), &help);
        QTRY_VERIFY2_WITH_TIMEOUT(
            map->toolTipOf(QStringLiteral("G5")).endsWith(u"Held until " + until),
            qPrintable(map->toolTipOf(QStringLiteral("G5"))), 10000);

        // Typed, the notice names the seat and the time.
        QTest::keyClicks(m_panel->seatEntry(), QStringLiteral("G5"));
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(m_panel->noticeText(),
            QStringLiteral("Not available: G5\nHeld elsewhere: G5 until ") + until + u'.', 10000);
    }

    // The sales so far at a glance: free, held and sold per category under
    // the map, live as other terminals hold and release.
    void theLegendCountsEachCategoryLive()
    {
        auto *legend = m_window->findChild<Legend *>();
        QVERIFY(legend);
        const QString code = m_window->seatMap()->categoryOf(QStringLiteral("H1"));
        QVERIFY(!code.isEmpty());
        const QRegularExpression counts(QStringLiteral("(\\d+) free · (\\d+) held · (\\d+) sold"));
        const auto read = [&] {
            const QRegularExpressionMatch match = counts.match(legend->textOf(code));
            return match.hasMatch() ? QList<int>{match.captured(1).toInt(),
                       match.captured(2).toInt(), match.captured(3).toInt()}
                                    : QList<int>{};
        };
        QTRY_VERIFY(!read().isEmpty());
        const QList<int> before = read();
        int seats = 0;
        for (const QString &seat : m_window->seatMap()->seatLabels())
            seats += m_window->seatMap()->categoryOf(seat) == code ? 1 : 0;
        QVERIFY(before.at(0) + before.at(1) + before.at(2) <= seats);

        const auto [cart, token] = m_http->newCart();
        const auto held = m_http->holdSeats(cart, token, QStringLiteral("breakfast-ii"),
            {QStringLiteral("H1"), QStringLiteral("H2")});
        QCOMPARE(held.status, 201);
        QTRY_COMPARE(read(), (QList<int>{before.at(0) - 2, before.at(1) + 2, before.at(2)}));
        QCOMPARE(m_http
                     ->del(QStringLiteral("/api/v1/carts/%1/holds/%2")
                               .arg(cart, held.json().value(QLatin1String("hold")).toString()),
                         token)
                     .status,
            204);
        QTRY_COMPARE(read(), before);
    }

private:
    /// Types \a seats and holds them with one press of Ctrl+H.
    void holdTyped(const QString &seats)
    {
        QTest::keyClicks(m_panel->seatEntry(), seats);
        QTest::keyClick(m_panel->seatEntry(), Qt::Key_H, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(m_sale->holds().size() == 1 && !m_sale->isBusy(), 10000);
    }

    /// Moves both clocks on, and lets the server's expiry run as its
    /// timer would.
    void advance(qint64 ms)
    {
        m_server->clock().advance(ms);
        m_clock.advance(ms);
        m_server->server().expiry().releaseDue();
        QTRY_VERIFY(!m_server->server().expiry().running());
    }

    QString seatState(const QString &seat) const
    {
        return m_http->seatState(QStringLiteral("breakfast-ii"), seat);
    }

    /// The next question box gets \a answer; its text lands in m_question.
    void answerNextQuestion(QMessageBox::StandardButton answer)
    {
        m_answered = false;
        QTimer::singleShot(0, this, [this, answer] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box) {
                CounterFixture::closeModal(); // fail, but do not hang
                QFAIL("No question was asked.");
            }
            m_question = box->text();
            m_answered = true;
            box->button(answer)->click();
        });
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_store;
    std::unique_ptr<ServerSettings> m_settings;
    /// The terminal's clock: three days and a bit behind the server's, on
    /// purpose.
    ManualClock m_clock{QDateTime::currentDateTimeUtc().addDays(-3).addSecs(-4321)};
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<CounterWindow> m_window;
    SaleSession *m_sale = nullptr;
    SalePanel *m_panel = nullptr;
    HoldCountdown *m_countdown = nullptr;
    bool m_answered = false;
    QString m_question;
};

QTEST_MAIN(TestCounterSale)
#include "tst_countersale.moc"
