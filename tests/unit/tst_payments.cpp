// Payment start and confirmation, refunds and voids, on a real database:
// the layers after the hold, and the promise that nothing is sold twice.
#include "CartService.h"
#include "Clock.h"
#include "DemoDatabase.h"
#include "HoldService.h"
#include "InvariantsCheck.h"
#include "OrderService.h"
#include "PaymentConfirmation.h"
#include "PaymentService.h"
#include "SaleService.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Marquee;
using HoldStatus = HoldService::Outcome::Status;
using StartStatus = PaymentService::StartOutcome::Status;
using Result = Confirmation::Result;

class TestPayments : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void init()
    {
        m_demo = std::make_unique<Test::DemoDatabase>(
            m_databases, m_clock, QStringLiteral("payments"));
        QVERIFY2(m_demo->isOpen(), qPrintable(m_demo->error()));
        m_db = m_demo->db();
        m_cart = CartService(m_db, m_clock).create().id;
    }

    void cleanup()
    {
        // Whatever a test did — refunds, voids, holds taken back, refusals —
        // the database must still keep every promise, once the expiry timer
        // has done its work.
        m_demo->releaseDue(m_clock);
        const auto report = InvariantsCheck(m_db, m_clock).run();
        QVERIFY2(report.clean(), qPrintable(report.toText()));
        m_db = QSqlDatabase();
        m_demo.reset();
    }

    void startCoversThePaymentWindow()
    {
        const auto held = holds().hold(m_cart, seats({QStringLiteral("B3"), QStringLiteral("B4")}));
        m_clock.advance(14 * 60'000); // one minute left on the hold
        const auto start = payments().start(m_cart);
        QCOMPARE(start.status, StartStatus::Started);
        QCOMPARE(start.payment.amount, 9000);
        QCOMPARE(start.payment.expiresAt, m_clock.now().addSecs(600));
        QCOMPARE(Sql::time(Sql::scalar(m_db,
                     QStringLiteral("SELECT expires_at FROM holds WHERE id = ?"), {held.hold.id})),
            start.payment.expiresAt);
        QCOMPARE(text(QStringLiteral("SELECT state FROM orders WHERE id = ?"), start.payment.order),
            QStringLiteral("pending"));
        // A hold in checkout cannot be pulled out of the order.
        QCOMPARE(holds().release(m_cart, held.hold.id).status, HoldStatus::UnknownHold);
        // Starting again (the first answer got lost) gets the same payment.
        const auto again = payments().start(m_cart);
        QCOMPARE(again.status, StartStatus::Started);
        QCOMPARE(again.payment.id, start.payment.id);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM payments")), 1);
        // The counter cannot sell holds that are being paid for online.
        QCOMPARE(SaleService(m_db, m_clock)
                     .sellCart(m_cart, QStringLiteral("counter"), QStringLiteral("cash"))
                     .status,
            SaleService::Outcome::Status::NothingToSell);
    }

    void startReportsLostHolds()
    {
        holds().hold(m_cart, seats({QStringLiteral("B5")}));
        m_clock.advance(900'000);
        const auto start = payments().start(m_cart);
        QCOMPARE(start.status, StartStatus::HoldLost);
        QCOMPARE(start.lostHolds.size(), 1);
        QCOMPARE(start.changes.first().seats.value(QStringLiteral("B5")), SeatState::Available);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM orders")), 0);
    }

    void confirmIsIdempotent()
    {
        holds().hold(m_cart, seats({QStringLiteral("C3")}));
        holds().hold(m_cart, places(2));
        const auto start = payments().start(m_cart);
        const qint64 amount = 4500 + 2 * 1900;
        QCOMPARE(start.payment.amount, amount);

        const auto first = confirmations().confirm(
            start.payment.id, QStringLiteral("key-1"), amount, QStringLiteral("psp-77"));
        QCOMPARE(first.result, Result::Paid);
        QVERIFY(!first.replayed);
        QCOMPARE(first.changes.size(), 2);
        QCOMPARE(first.order, start.payment.order);
        QCOMPARE(first.tickets.size(), 3);
        QCOMPARE(first.total, amount);
        QCOMPARE(seatState(QStringLiteral("C3")), SeatState::Sold);
        QCOMPARE(count(QStringLiteral("SELECT ga_sold FROM events WHERE slug = 'open-air'")), 2);

        // The same request again: the same answer, and nothing happens twice.
        const auto again = confirmations().confirm(
            start.payment.id, QStringLiteral("key-1"), amount, QStringLiteral("psp-77"));
        QCOMPARE(again.result, Result::Paid);
        QVERIFY(again.replayed);
        QCOMPARE(again.encode(), first.encode());
        QVERIFY(again.changes.isEmpty());
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM order_lines")), 3);
        QCOMPARE(count(QStringLiteral("SELECT ga_sold FROM events WHERE slug = 'open-air'")), 2);

        // The same key with other content is an error.
        QCOMPARE(confirmations()
                     .confirm(start.payment.id, QStringLiteral("key-1"), amount + 1,
                         QStringLiteral("psp-77"))
                     .result,
            Result::KeyReused);
        // Another key for a payment already confirmed does not sell again.
        const auto other = confirmations().confirm(
            start.payment.id, QStringLiteral("key-2"), amount, QStringLiteral("psp-78"));
        QCOMPARE(other.result, Result::AlreadyFinal);
        QCOMPARE(other.state, QStringLiteral("confirmed"));
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM order_lines")), 3);
        QCOMPARE(count(QStringLiteral(
                     "SELECT COUNT(*) FROM payment_confirmations WHERE took_effect = 1")),
            1);
    }

    void priceChangeDuringCheckoutKeepsTheHoldsPrice()
    {
        holds().hold(m_cart, seats({QStringLiteral("C3"), QStringLiteral("C4")}));
        holds().hold(m_cart, places(2));
        const auto start = payments().start(m_cart);
        QCOMPARE(start.payment.amount, 2 * 4500 + 2 * 1900);
        // The manager changes the price list while the customer pays.
        Sql::exec(m_db, QStringLiteral("UPDATE price_categories SET price = price + 500"));
        const auto confirmed = confirmations().confirm(
            start.payment.id, QStringLiteral("k"), start.payment.amount, QStringLiteral("psp"));
        QCOMPARE(confirmed.result, Result::Paid);
        QCOMPARE(confirmed.total, 2 * 4500 + 2 * 1900);
        for (const SaleService::Ticket &ticket : confirmed.tickets)
            QVERIFY2(ticket.price == 4500 || ticket.price == 1900,
                qPrintable(QString::number(ticket.price)));
        QCOMPARE(seatState(QStringLiteral("C3")), SeatState::Sold);
    }

    void ticketsThatDoNotAddUpAreRefusedNotFailed()
    {
        const auto held = holds().hold(m_cart, seats({QStringLiteral("C6")}));
        const auto start = payments().start(m_cart);
        // Damage no code path makes: what the hold recorded no longer adds
        // up to the payment. The confirmation must refuse and flag the
        // refund, not fail (which would leave the payment pending forever).
        Sql::exec(m_db, QStringLiteral("UPDATE hold_seats SET price = price + 1 WHERE hold_id = ?"),
            {held.hold.id});
        const auto refused = confirmations().confirm(
            start.payment.id, QStringLiteral("k"), start.payment.amount, QStringLiteral("psp"));
        QCOMPARE(refused.result, Result::HoldLost);
        QCOMPARE(text(QStringLiteral("SELECT state FROM payments WHERE id = ?"), start.payment.id),
            QStringLiteral("refund_due"));
        QCOMPARE(text(QStringLiteral("SELECT state FROM orders WHERE id = ?"), start.payment.order),
            QStringLiteral("void"));
        QCOMPARE(seatState(QStringLiteral("C6")), SeatState::Available);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM order_lines")), 0);
        // The provider's retry gets the same refusal.
        QCOMPARE(confirmations()
                     .confirm(start.payment.id, QStringLiteral("k"), start.payment.amount,
                         QStringLiteral("psp"))
                     .result,
            Result::HoldLost);
    }

    void keysStoredBeforeOutcomesWereKeptStillReplay()
    {
        // A confirmation stored by schema version 3 kept the answer it sent;
        // a retry with its key gets exactly that answer, and nothing happens.
        holds().hold(m_cart, seats({QStringLiteral("C8")}));
        const auto start = payments().start(m_cart);
        QCOMPARE(confirmations()
                     .confirm(start.payment.id, QStringLiteral("old"), 1, QStringLiteral("p"))
                     .result,
            Result::AmountMismatch);
        const QByteArray oldAnswer = "{\"error\":\"amount_mismatch\",\"expected\":4500}";
        Sql::exec(m_db,
            QStringLiteral("UPDATE payment_confirmations SET outcome = '', status = 409,"
                           " response = ?"),
            {QString::fromUtf8(oldAnswer)});
        const auto again = confirmations().confirm(
            start.payment.id, QStringLiteral("old"), 1, QStringLiteral("p"));
        QCOMPARE(again.result, Result::StoredAnswer);
        QVERIFY(again.replayed);
        QCOMPARE(again.storedStatus, 409);
        QCOMPARE(again.storedAnswer, oldAnswer);
        QCOMPARE(seatState(QStringLiteral("C8")), SeatState::Held);
    }

    void wrongAmountChangesNothing()
    {
        holds().hold(m_cart, seats({QStringLiteral("C4")}));
        const auto start = payments().start(m_cart);
        QCOMPARE(
            confirmations().confirm(start.payment.id, QStringLiteral("a"), 1, QString()).result,
            Result::AmountMismatch);
        QCOMPARE(seatState(QStringLiteral("C4")), SeatState::Held);
        QCOMPARE(
            confirmations().confirm(start.payment.id, QStringLiteral("b"), 4500, QString()).result,
            Result::Paid);
        QCOMPARE(seatState(QStringLiteral("C4")), SeatState::Sold);
    }

    void lostHoldIsRetakenWhenStillFree()
    {
        holds().hold(m_cart, seats({QStringLiteral("D3"), QStringLiteral("D4")}));
        holds().hold(m_cart, places(3));
        const auto start = payments().start(m_cart);
        // The holds last as long as the longer of their own time and the
        // payment window; past both, the timer releases them.
        m_clock.advance(601'000);
        QVERIFY(m_demo->releaseDue(m_clock).isEmpty());
        m_clock.advance(300'000);
        QCOMPARE(m_demo->releaseDue(m_clock).size(), 2);
        QCOMPARE(seatState(QStringLiteral("D3")), SeatState::Available);

        const auto confirmed = confirmations().confirm(
            start.payment.id, QStringLiteral("k"), start.payment.amount, QString());
        QCOMPARE(confirmed.result, Result::Paid);
        QCOMPARE(seatState(QStringLiteral("D3")), SeatState::Sold);
        QCOMPARE(seatState(QStringLiteral("D4")), SeatState::Sold);
        QCOMPARE(count(QStringLiteral("SELECT ga_sold FROM events WHERE slug = 'open-air'")), 3);
        QCOMPARE(count(QStringLiteral("SELECT ga_held FROM events WHERE slug = 'open-air'")), 0);
    }

    void lostHoldTakenByOthersIsRefundedAndNothingSold()
    {
        // GA first, so that its places are already taken back when the seats
        // turn out to be gone: the refusal must undo that too.
        holds().hold(m_cart, places(2));
        m_clock.advance(1000);
        holds().hold(m_cart, seats({QStringLiteral("E3"), QStringLiteral("E4")}));
        const auto start = payments().start(m_cart);
        m_clock.advance(902'000);
        QCOMPARE(m_demo->releaseDue(m_clock).size(), 2);
        // Someone else takes E4 meanwhile.
        const QString rival = CartService(m_db, m_clock).create().id;
        QCOMPARE(holds().hold(rival, seats({QStringLiteral("E4")})).status, HoldStatus::Held);

        const auto refused = confirmations().confirm(
            start.payment.id, QStringLiteral("k"), start.payment.amount, QStringLiteral("psp-1"));
        QCOMPARE(refused.result, Result::HoldLost);
        QCOMPARE(refused.goneSeats, QStringList{QStringLiteral("E4")});
        QCOMPARE(text(QStringLiteral("SELECT state FROM payments WHERE id = ?"), start.payment.id),
            QStringLiteral("refund_due"));
        QCOMPARE(text(QStringLiteral("SELECT state FROM orders WHERE id = ?"), start.payment.order),
            QStringLiteral("void"));
        // Nothing of the order was sold: not the GA places retaken before the
        // seats were found gone, not E3, and E4 stays with the rival.
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM order_lines")), 0);
        QCOMPARE(
            count(QStringLiteral("SELECT ga_sold + ga_held FROM events WHERE slug = 'open-air'")),
            0);
        QCOMPARE(seatState(QStringLiteral("E3")), SeatState::Available);
        QCOMPARE(seatState(QStringLiteral("E4")), SeatState::Held);
        // And a repeat gets the same refusal.
        QCOMPARE(confirmations()
                     .confirm(start.payment.id, QStringLiteral("k"), start.payment.amount,
                         QStringLiteral("psp-1"))
                     .encode(),
            refused.encode());
    }

    void refundReturnsEverything()
    {
        holds().hold(m_cart, seats({QStringLiteral("F3")}));
        holds().hold(m_cart, places(4));
        const auto start = payments().start(m_cart);
        QCOMPARE(
            confirmations()
                .confirm(start.payment.id, QStringLiteral("k"), start.payment.amount, QString())
                .result,
            Result::Paid);
        const qint64 before = version(QStringLiteral("breakfast-ii"));

        const auto refund = orders().refund(start.payment.order);
        QCOMPARE(refund.status, OrderService::Outcome::Status::Done);
        QCOMPARE(refund.changes.size(), 2);
        QCOMPARE(seatState(QStringLiteral("F3")), SeatState::Available);
        QCOMPARE(version(QStringLiteral("breakfast-ii")), before + 1);
        QCOMPARE(count(QStringLiteral("SELECT ga_sold FROM events WHERE slug = 'open-air'")), 0);
        QCOMPARE(orders().find(start.payment.order)->state, QStringLiteral("refunded"));
        // The money goes back through the provider after the commit.
        QCOMPARE(orders().find(start.payment.order)->paymentState, QStringLiteral("refund_due"));
        QCOMPARE(refund.refundsDue, 1);
        QCOMPARE(
            orders().refund(start.payment.order).status, OrderService::Outcome::Status::WrongState);
        QCOMPARE(orders().refund(QStringLiteral("o_nope")).status,
            OrderService::Outcome::Status::UnknownOrder);
    }

    void voidReleasesAPendingOrder()
    {
        holds().hold(m_cart, seats({QStringLiteral("G3")}));
        const auto start = payments().start(m_cart);
        const auto voided = orders().voidPending(start.payment.order);
        QCOMPARE(voided.status, OrderService::Outcome::Status::Done);
        QCOMPARE(seatState(QStringLiteral("G3")), SeatState::Available);
        // A payment arriving after the void sells nothing, and the money is
        // flagged to go back.
        QCOMPARE(confirmations()
                     .confirm(start.payment.id, QStringLiteral("late"), 3000, QString())
                     .result,
            Result::OrderCancelled);
        QCOMPARE(text(QStringLiteral("SELECT state FROM payments WHERE id = ?"), start.payment.id),
            QStringLiteral("refund_due"));
        QCOMPARE(seatState(QStringLiteral("G3")), SeatState::Available);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM order_lines")), 0);
    }

    void renewalIsLimited()
    {
        const auto held = holds().hold(m_cart, seats({QStringLiteral("H3")}));
        m_clock.advance(600'000);
        const auto renewed = holds().renew(m_cart, held.hold.id);
        QCOMPARE(renewed.status, HoldStatus::Renewed);
        QCOMPARE(renewed.hold.expiresAt, m_clock.now().addSecs(900));
        QCOMPARE(holds().renew(m_cart, held.hold.id).status, HoldStatus::Renewed);
        QCOMPARE(holds().renew(m_cart, held.hold.id).status, HoldStatus::RenewalLimit);
        m_clock.advance(901'000);
        QCOMPARE(holds().renew(m_cart, held.hold.id).status, HoldStatus::UnknownHold); // expired
    }

private:
    static Protocol::HoldRequest seats(QStringList labels)
    {
        return {QStringLiteral("breakfast-ii"), std::move(labels), 0};
    }
    static Protocol::HoldRequest places(int quantity)
    {
        return {QStringLiteral("open-air"), {}, quantity};
    }

    HoldService holds() const { return HoldService(m_db, m_clock, HoldRules{}); }
    PaymentService payments() const { return PaymentService(m_db, m_clock, PaymentRules{}); }
    PaymentConfirmation confirmations() const { return PaymentConfirmation(m_db, m_clock); }
    OrderService orders() const { return OrderService(m_db, m_clock); }

    qint64 count(const QString &sql) const { return m_demo->count(sql); }
    QString text(const QString &sql, const QString &id) const
    {
        return Sql::scalar(m_db, sql, {id}).toString();
    }
    qint64 version(const QString &slug) const { return m_demo->version(slug); }
    SeatState seatState(const QString &label) const { return m_demo->seatState(label); }

    Test::TestDatabases m_databases;
    std::unique_ptr<Test::DemoDatabase> m_demo;
    ManualClock m_clock;
    QSqlDatabase m_db;
    QString m_cart;
};

QTEST_GUILESS_MAIN(TestPayments)
#include "tst_payments.moc"
