// The hold rules on a real SQLite database: all-or-nothing, blocked and
// taken seats, GA capacity, limits, release, expiry, and the constraints
// that back them up in the database itself.
#include "CartService.h"
#include "Clock.h"
#include "DemoDatabase.h"
#include "DemoSeeder.h"
#include "HoldService.h"
#include "Migrations.h"
#include "SaleService.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"

#include <QSqlQuery>
#include <QtTest>

using namespace Marquee;
using Status = HoldService::Outcome::Status;

namespace {

Protocol::HoldRequest seats(QStringList labels)
{
    return {QStringLiteral("breakfast-ii"), std::move(labels), 0};
}

Protocol::HoldRequest places(int quantity)
{
    return {QStringLiteral("open-air"), {}, quantity};
}

} // namespace

class TestHoldRules : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void init()
    {
        m_demo = std::make_unique<Test::DemoDatabase>(
            m_databases, m_clock, QStringLiteral("holdrules"));
        QVERIFY2(m_demo->isOpen(), qPrintable(m_demo->error()));
        m_db = m_demo->db();
        QCOMPARE(m_demo->count(QStringLiteral("SELECT MAX(version) FROM schema_version")),
            Migrations::latest());
        QVERIFY(!DemoSeeder::seed(m_db, m_clock)); // once only
        m_cart = CartService(m_db, m_clock).create().id;
    }

    void cleanup()
    {
        m_db = QSqlDatabase();
        m_demo.reset();
    }

    void holdsSeatsAndAnnouncesThem()
    {
        const qint64 before = version(QStringLiteral("breakfast-ii"));
        const auto outcome
            = service().hold(m_cart, seats({QStringLiteral("C4"), QStringLiteral("C5")}));
        QCOMPARE(outcome.status, Status::Held);
        QCOMPARE(outcome.hold.total, 2 * 4500);
        QCOMPARE(outcome.hold.expiresAt, m_clock.now().addSecs(900));
        QCOMPARE(outcome.changes.size(), 1);
        QCOMPARE(outcome.changes.first().version, before + 1);
        QCOMPARE(outcome.changes.first().seats.value(QStringLiteral("C4")), SeatState::Held);
        QCOMPARE(state(QStringLiteral("C5")), SeatState::Held);
    }

    void allOrNothing()
    {
        QCOMPARE(service().hold(m_cart, seats({QStringLiteral("D2")})).status, Status::Held);
        const qint64 before = version(QStringLiteral("breakfast-ii"));
        const auto outcome = service().hold(
            m_cart, seats({QStringLiteral("D1"), QStringLiteral("D2"), QStringLiteral("D3")}));
        QCOMPARE(outcome.status, Status::Unavailable);
        QCOMPARE(outcome.seats, QStringList{QStringLiteral("D2")});
        QVERIFY(outcome.changes.isEmpty());
        // Nothing of the refused hold remains, and nothing was announced.
        QCOMPARE(state(QStringLiteral("D1")), SeatState::Available);
        QCOMPARE(state(QStringLiteral("D3")), SeatState::Available);
        QCOMPARE(version(QStringLiteral("breakfast-ii")), before);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM holds")), 1);
    }

    void blockedAndUnknownSeats()
    {
        auto outcome = service().hold(m_cart, seats({QStringLiteral("A1")}));
        QCOMPARE(outcome.status, Status::Unavailable);
        QCOMPARE(outcome.seats, QStringList{QStringLiteral("A1")});
        outcome = service().hold(m_cart, seats({QStringLiteral("B2"), QStringLiteral("Z99")}));
        QCOMPARE(outcome.status, Status::UnknownSeats);
        QCOMPARE(outcome.seats, QStringList{QStringLiteral("Z99")});
        QCOMPARE(state(QStringLiteral("B2")), SeatState::Available);
        // A quantity for a seated event is not a way around seat selection.
        QCOMPARE(service().hold(m_cart, {QStringLiteral("breakfast-ii"), {}, 2}).status,
            Status::UnknownSeats);
        QCOMPARE(service().hold(m_cart, {QStringLiteral("no-such-event"), {}, 2}).status,
            Status::UnknownEvent);
    }

    void generalAdmissionNeverOversold()
    {
        HoldRules rules;
        rules.maxHoldsPerCart = 1000;
        const HoldService generous(m_db, m_clock, rules);
        int held = 0;
        while (generous.hold(m_cart, places(7)).status == Status::Held)
            held += 7;
        QCOMPARE(held, 497); // 71 holds of 7; 3 places left
        const auto refused = generous.hold(m_cart, places(4));
        QCOMPARE(refused.status, Status::Unavailable);
        QCOMPARE(refused.available, 3);
        const auto last = generous.hold(m_cart, places(3));
        QCOMPARE(last.status, Status::Held);
        QCOMPARE(last.changes.first().available, 0);
        QCOMPARE(last.changes.first().capacity, 500);
        QCOMPARE(generous.hold(m_cart, places(1)).status, Status::Unavailable);
    }

    void limitOfHoldsPerCart()
    {
        for (int i = 0; i < 10; ++i)
            QCOMPARE(service().hold(m_cart, places(1)).status, Status::Held);
        QCOMPARE(service().hold(m_cart, places(1)).status, Status::TooManyHolds);
        // Another cart is not affected.
        const QString other = CartService(m_db, m_clock).create().id;
        QCOMPARE(service().hold(other, places(1)).status, Status::Held);
    }

    void releaseReturnsSeats()
    {
        const auto held
            = service().hold(m_cart, seats({QStringLiteral("E1"), QStringLiteral("E2")}));
        const QString other = CartService(m_db, m_clock).create().id;
        QCOMPARE(
            service().release(other, held.hold.id).status, Status::UnknownHold); // not its hold
        const auto released = service().release(m_cart, held.hold.id);
        QCOMPARE(released.status, Status::Released);
        QCOMPARE(released.changes.first().seats.value(QStringLiteral("E1")), SeatState::Available);
        QCOMPARE(released.changes.first().version, held.changes.first().version + 1);
        QCOMPARE(state(QStringLiteral("E1")), SeatState::Available);
        QCOMPARE(service().release(m_cart, held.hold.id).status, Status::UnknownHold); // twice
        QCOMPARE(service().hold(other, seats({QStringLiteral("E1")})).status, Status::Held);

        const auto ga = service().hold(m_cart, places(5));
        QCOMPARE(ga.changes.first().available, 495);
        QCOMPARE(service().release(m_cart, ga.hold.id).changes.first().available, 500);
    }

    void expiryReleasesOnlyWhatIsDue()
    {
        const auto early = service().hold(m_cart, seats({QStringLiteral("F1")}));
        m_clock.advance(60'000);
        const auto late = service().hold(m_cart, places(4));
        QCOMPARE(service().nextExpiry(), early.hold.expiresAt);

        m_clock.advance(840'000 - 1000); // one second before the first expiry
        QVERIFY(releaseDue().isEmpty());
        m_clock.advance(1000);
        const auto released = releaseDue();
        QCOMPARE(released.size(), 1);
        QCOMPARE(released.first().seats.value(QStringLiteral("F1")), SeatState::Available);
        QCOMPARE(service().nextExpiry(), late.hold.expiresAt);
        QCOMPARE(state(QStringLiteral("F1")), SeatState::Available);

        m_clock.advance(60'000);
        const auto second = releaseDue();
        QCOMPARE(second.size(), 1);
        QCOMPARE(second.first().available, 500);
        QVERIFY(!service().nextExpiry());
    }

    void purgeForgetsAbandonedCarts()
    {
        const CartService carts(m_db, m_clock);
        const QString abandoned = carts.create().id;
        service().hold(abandoned, seats({QStringLiteral("H1")}));
        const QString bought = carts.create().id;
        service().hold(bought, seats({QStringLiteral("H2")}));
        QCOMPARE(SaleService(m_db, m_clock)
                     .sellCart(bought, QStringLiteral("counter"), QStringLiteral("cash"))
                     .status,
            SaleService::Outcome::Status::Sold);
        const QString empty = carts.create().id;
        Q_UNUSED(empty);
        m_clock.advance(901'000);
        QCOMPARE(releaseDue().size(), 1); // the abandoned hold, released as usual
        const QString fresh = carts.create().id;
        service().hold(fresh, seats({QStringLiteral("H3")}));

        // Not yet: a day has not passed since those carts expired.
        QCOMPARE(carts.purgeAbandoned(m_clock.now().addSecs(-24 * 3600)), 0);
        m_clock.advance(qint64(CartService::LifetimeSeconds + 24 * 3600) * 1000);
        // abandoned, empty and the test's own unused cart
        QCOMPARE(carts.purgeAbandoned(m_clock.now().addSecs(-24 * 3600)), 3);
        QCOMPARE(
            count(QStringLiteral("SELECT COUNT(*) FROM carts")), 2); // the order's, and fresh's
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM holds")), 2);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM hold_seats")), 2);
        QCOMPARE(state(QStringLiteral("H2")), SeatState::Sold);
        QCOMPARE(state(QStringLiteral("H3")), SeatState::Held); // live, if long expired: kept
        QCOMPARE(carts.purgeAbandoned(m_clock.now().addSecs(-24 * 3600)), 0);
    }

    void expiredHoldIsNotSold()
    {
        service().hold(m_cart, seats({QStringLiteral("G1")}));
        m_clock.advance(901'000);
        const auto sale = SaleService(m_db, m_clock)
                              .sellCart(m_cart, QStringLiteral("counter"), QStringLiteral("cash"));
        QCOMPARE(sale.status, SaleService::Outcome::Status::NothingToSell);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM orders")), 0);
    }

    void saleTurnsHoldsIntoTickets()
    {
        service().hold(m_cart, seats({QStringLiteral("H1"), QStringLiteral("F2")}));
        service().hold(m_cart, places(2));
        const auto sale = SaleService(m_db, m_clock)
                              .sellCart(m_cart, QStringLiteral("counter"), QStringLiteral("cash"));
        QCOMPARE(sale.status, SaleService::Outcome::Status::Sold);
        QCOMPARE(sale.total, 3000 + 3000 + 2 * 1900);
        QCOMPARE(sale.tickets.size(), 4);
        QCOMPARE(state(QStringLiteral("H1")), SeatState::Sold);
        QCOMPARE(count(QStringLiteral("SELECT ga_sold FROM events WHERE slug = 'open-air'")), 2);
        QCOMPARE(count(QStringLiteral("SELECT ga_held FROM events WHERE slug = 'open-air'")), 0);
        QCOMPARE(count(QStringLiteral("SELECT SUM(price) FROM order_lines")), sale.total);
        // Selling the same cart again sells nothing twice.
        QCOMPARE(SaleService(m_db, m_clock)
                     .sellCart(m_cart, QStringLiteral("counter"), QStringLiteral("cash"))
                     .status,
            SaleService::Outcome::Status::NothingToSell);
        // A sold seat cannot be held.
        QCOMPARE(service().hold(m_cart, seats({QStringLiteral("H1")})).status, Status::Unavailable);
    }

    void counterSellsExactlyTheHoldsItSees()
    {
        const auto early = service().hold(m_cart, seats({QStringLiteral("H5")}));
        m_clock.advance(600'000);
        const auto late = service().hold(m_cart, seats({QStringLiteral("H6")}));
        m_clock.advance(301'000); // H5's hold ran out, H6's did not
        const SaleService sales(m_db, m_clock);
        const auto refused = sales.sellCart(m_cart, QStringLiteral("counter"),
            QStringLiteral("cash"), {early.hold.id, late.hold.id});
        QCOMPARE(refused.status, SaleService::Outcome::Status::HoldLost);
        QCOMPARE(refused.lostHolds, QStringList{early.hold.id});
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM orders")), 0);
        QCOMPARE(state(QStringLiteral("H6")), SeatState::Held);

        // Only what the clerk lists is sold, even with more in the cart.
        const auto more = service().hold(m_cart, seats({QStringLiteral("H7")}));
        const auto sold = sales.sellCart(
            m_cart, QStringLiteral("counter"), QStringLiteral("cash"), {late.hold.id});
        QCOMPARE(sold.status, SaleService::Outcome::Status::Sold);
        QCOMPARE(sold.tickets.size(), 1);
        QCOMPARE(state(QStringLiteral("H6")), SeatState::Sold);
        QCOMPARE(state(QStringLiteral("H7")), SeatState::Held);
        QVERIFY(!more.hold.id.isEmpty());
    }

    void databaseRejectsSecondClaim()
    {
        const auto held = service().hold(m_cart, seats({QStringLiteral("B5")}));
        QCOMPARE(held.status, Status::Held);
        // Bypassing the service: the primary key still refuses a second claim.
        QVERIFY_THROWS_EXCEPTION(StorageError,
            Sql::exec(m_db,
                QStringLiteral(
                    "INSERT INTO seat_claims (seat_id, event_id, kind, hold_id)"
                    " SELECT s.id, s.event_id, 'held', ? FROM seats s WHERE s.label = 'B5'"),
                {held.hold.id}));
    }

    void databaseRejectsOversale()
    {
        QVERIFY_THROWS_EXCEPTION(StorageError,
            Sql::exec(m_db,
                QStringLiteral(
                    "UPDATE events SET ga_held = 400, ga_sold = 101 WHERE slug = 'open-air'")));
        QVERIFY_THROWS_EXCEPTION(StorageError,
            Sql::exec(
                m_db, QStringLiteral("UPDATE events SET ga_held = -1 WHERE slug = 'open-air'")));
    }

private:
    HoldService service() const { return HoldService(m_db, m_clock, HoldRules{}); }
    AvailabilityChanges releaseDue() const { return m_demo->releaseDue(m_clock); }

    qint64 version(const QString &slug) const { return m_demo->version(slug); }
    qint64 count(const QString &sql) const { return m_demo->count(sql); }
    SeatState state(const QString &label) const { return m_demo->seatState(label); }

    Test::TestDatabases m_databases;
    std::unique_ptr<Test::DemoDatabase> m_demo;
    ManualClock m_clock;
    QSqlDatabase m_db;
    QString m_cart;
};

QTEST_GUILESS_MAIN(TestHoldRules)
#include "tst_holdrules.moc"
