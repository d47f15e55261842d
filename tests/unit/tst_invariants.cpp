// The invariants check on a real database: a demo box office with holds and
// sales passes; each way of breaking it by direct SQL is caught by exactly
// the rule meant for it.
#include "CartService.h"
#include "Clock.h"
#include "DemoSeeder.h"
#include "HoldService.h"
#include "InvariantsCheck.h"
#include "SaleService.h"
#include "Sql.h"
#include "Storage.h"
#include "TestDatabases.h"

#include <QtTest>

using namespace Marquee;
using Rule = InvariantsCheck::Rule;

class TestInvariants : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_databases.start(), qPrintable(m_databases.error())); }

    void init()
    {
        QString error;
        m_db = openDatabase(m_databases.fresh(), QStringLiteral("invariants"), &error);
        QVERIFY2(m_db.isOpen(), qPrintable(error));
        QVERIFY(DemoSeeder::seed(m_db, m_clock));
        addBackground();
    }

    void cleanup()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("invariants"));
    }

    void cleanBoxOfficePasses()
    {
        const InvariantsCheck::Report report = InvariantsCheck(m_db, m_clock).run();
        QVERIFY2(report.clean(), qPrintable(report.toText()));
        QCOMPARE(report.liveHolds, 2);
        QCOMPARE(report.paidOrders, 1);
        QCOMPARE(report.events.size(), 2);
        const InvariantsCheck::EventCounts seated = report.events.at(0);
        QCOMPARE(seated.event, QStringLiteral("breakfast-ii"));
        QVERIFY(seated.seated);
        QCOMPARE(seated.seats, 160);
        QCOMPARE(seated.blocked, 4);
        QCOMPARE(seated.held, 2);
        QCOMPARE(seated.sold, 1);
        QCOMPARE(seated.available, 153);
        const InvariantsCheck::EventCounts general = report.events.at(1);
        QCOMPARE(general.event, QStringLiteral("open-air"));
        QVERIFY(!general.seated);
        QCOMPARE(general.capacity, 500);
        QCOMPARE(general.held, 2);
        QCOMPARE(general.sold, 4);
        QCOMPARE(general.available, 494);
        QVERIFY(report.toText().contains(QStringLiteral("No violations.")));
    }

    void corruptionIsCaughtByItsRule_data()
    {
        QTest::addColumn<QString>("corruption");
        QTest::addColumn<QStringList>("expected"); // rule names, in report order

        QTest::newRow("seat in two live holds")
            << QStringLiteral("secondHold") << QStringList{QStringLiteral("double-claim")};
        QTest::newRow("seat sold twice")
            << QStringLiteral("secondSale") << QStringList{QStringLiteral("double-claim")};
        QTest::newRow("blocked seat held") << QStringLiteral("blockHeldSeat")
                                           << QStringList{QStringLiteral("claim-on-blocked-seat")};
        QTest::newRow("claim of a released hold") << QStringLiteral(
            "releaseKeepingClaim") << QStringList{QStringLiteral("held-claim-without-live-hold")};
        QTest::newRow("live hold lost its claim") << QStringLiteral(
            "dropHeldClaim") << QStringList{QStringLiteral("live-hold-without-claim")};
        QTest::newRow("claim of a refunded order") << QStringLiteral(
            "refundKeepingClaim") << QStringList{QStringLiteral("sold-claim-without-paid-order")};
        QTest::newRow("paid order lost its seat") << QStringLiteral(
            "dropSoldClaim") << QStringList{QStringLiteral("paid-order-without-seat")};
        QTest::newRow("GA held counter off")
            << QStringLiteral("gaHeldOff") << QStringList{QStringLiteral("ga-held-mismatch")};
        QTest::newRow("GA sold counter off")
            << QStringLiteral("gaSoldOff") << QStringList{QStringLiteral("ga-sold-mismatch")};
        QTest::newRow("GA oversold")
            << QStringLiteral("gaOversold") << QStringList{QStringLiteral("ga-over-capacity")};
        QTest::newRow("hold long past expiry")
            << QStringLiteral("expiredLongAgo") << QStringList{QStringLiteral("expired-live-hold")};
        QTest::newRow("hold within the grace period")
            << QStringLiteral("expiredJustNow") << QStringList{};
    }

    void corruptionIsCaughtByItsRule()
    {
        QFETCH(QString, corruption);
        QFETCH(QStringList, expected);
        corrupt(corruption);
        if (QTest::currentTestFailed())
            return;

        const InvariantsCheck::Report report = InvariantsCheck(m_db, m_clock).run();
        QStringList found;
        for (const InvariantsCheck::Violation &violation : report.violations) {
            found.append(InvariantsCheck::ruleName(violation.rule));
            QVERIFY(!violation.message.isEmpty());
        }
        QCOMPARE(found, expected);
        if (!expected.isEmpty()) {
            // The report names the rule and a sentence a person can act on.
            const QString text = report.toText();
            QVERIFY2(text.contains(expected.first() + QStringLiteral(": ")), qPrintable(text));
            QVERIFY2(text.contains(QStringLiteral("1 violation:")), qPrintable(text));
        }
    }

    void messagesNameTheSeatAndTheHold()
    {
        const auto held = holds().hold(newCart(), seats({QStringLiteral("C8")}));
        Sql::exec(
            m_db, QStringLiteral("DELETE FROM seat_claims WHERE hold_id = ?"), {held.hold.id});
        const auto report = InvariantsCheck(m_db, m_clock).run();
        QCOMPARE(report.rules(), QList<Rule>{Rule::LiveHoldWithoutClaim});
        QCOMPARE(report.violations.first().message,
            QStringLiteral("Live hold %1 lists seat C8 of breakfast-ii, but the seat has no claim.")
                .arg(held.hold.id));
    }

private:
    // A little of everything that is legal, so that each corruption is found
    // among live holds, sales and GA counts rather than in an empty house.
    // These holds last an hour: the expiry rows move the clock past the
    // 15-minute holds they make themselves, not past these.
    void addBackground()
    {
        HoldRules rules;
        rules.holdSeconds = 3600;
        const HoldService longHolds(m_db, m_clock, rules);
        QCOMPARE(
            longHolds.hold(newCart(), seats({QStringLiteral("B1"), QStringLiteral("B2")})).status,
            HoldService::Outcome::Status::Held);
        QCOMPARE(longHolds.hold(newCart(), places(2)).status, HoldService::Outcome::Status::Held);
        const QString buyer = newCart();
        QCOMPARE(longHolds.hold(buyer, seats({QStringLiteral("B3")})).status,
            HoldService::Outcome::Status::Held);
        QCOMPARE(longHolds.hold(buyer, places(4)).status, HoldService::Outcome::Status::Held);
        QCOMPARE(sell(buyer).status, SaleService::Outcome::Status::Sold);
    }

    void corrupt(const QString &corruption)
    {
        if (corruption == QLatin1String("secondHold")) {
            const auto held = holds().hold(newCart(), seats({QStringLiteral("C4")}));
            const QString other = newCart();
            Sql::exec(m_db,
                QStringLiteral("INSERT INTO holds (id, cart_id, event_id, quantity, total, state, "
                               "created_at, expires_at)"
                               " SELECT 'h_intruder', ?, event_id, quantity, total, 'live', "
                               "created_at, expires_at"
                               " FROM holds WHERE id = ?"),
                {other, held.hold.id});
            Sql::exec(m_db,
                QStringLiteral(
                    "INSERT INTO hold_seats (hold_id, seat_id) SELECT 'h_intruder', seat_id"
                    " FROM hold_seats WHERE hold_id = ?"),
                {held.hold.id});
        } else if (corruption == QLatin1String("secondSale")) {
            const auto sale = sellSeat(QStringLiteral("C5"));
            Sql::exec(m_db,
                QStringLiteral("INSERT INTO orders (id, cart_id, channel, payment, state, total, "
                               "currency, created_at)"
                               " SELECT 'o_intruder', cart_id, channel, payment, 'paid', total, "
                               "currency, created_at"
                               " FROM orders WHERE id = ?"),
                {sale.order});
            Sql::exec(m_db,
                QStringLiteral(
                    "INSERT INTO order_lines (order_id, event_id, seat_id, category_code, "
                    "ticket_type, price)"
                    " SELECT 'o_intruder', event_id, seat_id, category_code, ticket_type, price"
                    " FROM order_lines WHERE order_id = ?"),
                {sale.order});
        } else if (corruption == QLatin1String("blockHeldSeat")) {
            holds().hold(newCart(), seats({QStringLiteral("C6")}));
            Sql::exec(m_db, QStringLiteral("UPDATE seats SET blocked = 1 WHERE label = 'C6'"));
        } else if (corruption == QLatin1String("releaseKeepingClaim")) {
            const auto held = holds().hold(newCart(), seats({QStringLiteral("C7")}));
            Sql::exec(m_db, QStringLiteral("UPDATE holds SET state = 'released' WHERE id = ?"),
                {held.hold.id});
        } else if (corruption == QLatin1String("dropHeldClaim")) {
            const auto held = holds().hold(newCart(), seats({QStringLiteral("C8")}));
            Sql::exec(
                m_db, QStringLiteral("DELETE FROM seat_claims WHERE hold_id = ?"), {held.hold.id});
        } else if (corruption == QLatin1String("refundKeepingClaim")) {
            const auto sale = sellSeat(QStringLiteral("C9"));
            Sql::exec(m_db, QStringLiteral("UPDATE orders SET state = 'refunded' WHERE id = ?"),
                {sale.order});
        } else if (corruption == QLatin1String("dropSoldClaim")) {
            const auto sale = sellSeat(QStringLiteral("C10"));
            Sql::exec(
                m_db, QStringLiteral("DELETE FROM seat_claims WHERE order_id = ?"), {sale.order});
        } else if (corruption == QLatin1String("gaHeldOff")) {
            holds().hold(newCart(), places(5));
            Sql::exec(m_db,
                QStringLiteral("UPDATE events SET ga_held = ga_held - 2 WHERE slug = 'open-air'"));
        } else if (corruption == QLatin1String("gaSoldOff")) {
            Sql::exec(m_db,
                QStringLiteral("UPDATE events SET ga_sold = ga_sold + 1 WHERE slug = 'open-air'"));
        } else if (corruption == QLatin1String("gaOversold")) {
            holds().hold(newCart(), places(5));
            // Counters that agree with the holds and tickets but exceed the
            // capacity: only possible past the CHECK constraint.
            withoutCapacityCheck(
                QStringLiteral("UPDATE events SET capacity = 8 WHERE slug = 'open-air'"));
        } else if (corruption == QLatin1String("expiredLongAgo")) {
            holds().hold(newCart(), seats({QStringLiteral("C11")}));
            m_clock.advance((900 + InvariantsCheck::DefaultGraceSeconds + 1) * 1000);
        } else if (corruption == QLatin1String("expiredJustNow")) {
            holds().hold(newCart(), places(1));
            m_clock.advance((900 + InvariantsCheck::DefaultGraceSeconds - 1) * 1000);
        } else {
            QFAIL("unknown corruption");
        }
    }

    void withoutCapacityCheck(const QString &statement)
    {
        if (Sql::isSqlite(m_db)) {
            Sql::exec(m_db, QStringLiteral("PRAGMA ignore_check_constraints = ON"));
            Sql::exec(m_db, statement);
            Sql::exec(m_db, QStringLiteral("PRAGMA ignore_check_constraints = OFF"));
            return;
        }
        const QString constraint = Sql::scalar(m_db,
            QStringLiteral("SELECT conname FROM pg_constraint WHERE conrelid = 'events'::regclass"
                           " AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%ga_sold%'"
                           " AND pg_get_constraintdef(oid) LIKE '%capacity%'"))
                                       .toString();
        QVERIFY(!constraint.isEmpty());
        Sql::exec(
            m_db, QStringLiteral("ALTER TABLE events DROP CONSTRAINT \"%1\"").arg(constraint));
        Sql::exec(m_db, statement);
    }

    SaleService::Outcome sellSeat(const QString &label)
    {
        const QString cart = newCart();
        holds().hold(cart, seats({label}));
        return sell(cart);
    }

    SaleService::Outcome sell(const QString &cart)
    {
        return SaleService(m_db, m_clock)
            .sellCart(cart, QStringLiteral("counter"), QStringLiteral("cash"));
    }

    static Protocol::HoldRequest seats(QStringList labels)
    {
        return {QStringLiteral("breakfast-ii"), std::move(labels), 0};
    }
    static Protocol::HoldRequest places(int quantity)
    {
        return {QStringLiteral("open-air"), {}, quantity};
    }

    HoldService holds() const { return HoldService(m_db, m_clock, HoldRules{}); }
    QString newCart() const { return CartService(m_db, m_clock).create().id; }

    Test::TestDatabases m_databases;
    ManualClock m_clock;
    QSqlDatabase m_db;
};

QTEST_GUILESS_MAIN(TestInvariants)
#include "tst_invariants.moc"
