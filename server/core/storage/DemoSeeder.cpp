#include "DemoSeeder.h"

#include "Clock.h"
#include "FloorPlan.h"
#include "Sql.h"

namespace Marquee {

namespace {

constexpr qint64 SeedLock = 0x4d61727175656532; // "Marquee2"; Migrations holds "Marquee1"

qint64 lastId(
    const QSqlDatabase &db, const QString &table, const QString &where, const QVariantList &values)
{
    return Sql::scalar(
        db, QStringLiteral("SELECT MAX(id) FROM %1 WHERE %2").arg(table, where), values)
        .toLongLong();
}

} // namespace

bool DemoSeeder::seed(const QSqlDatabase &db, const Clock &clock)
{
    Transaction transaction(db);
    // Servers started at once on a new PostgreSQL database: one seeds, the
    // others wait here and then find the events.
    Sql::lockUntilCommit(db, SeedLock);
    if (!Sql::scalar(db, QStringLiteral("SELECT id FROM events WHERE slug = 'breakfast-ii'"))
             .isNull())
        return false;

    const QString venueName = QStringLiteral("The Marquee Hall");
    Sql::exec(db, QStringLiteral("INSERT INTO venues (name) VALUES (?)"), {venueName});
    const qint64 venue
        = lastId(db, QStringLiteral("venues"), QStringLiteral("name = ?"), {venueName});

    // Dates follow the clock so the demo always shows upcoming events.
    const QDate today = clock.now().date();
    const auto evening
        = [&](int days) { return isoUtc(QDateTime(today.addDays(days), QTime(19, 30), Qt::UTC)); };

    constexpr int rows = 10;
    constexpr int seatsPerRow = 16;
    const FloorPlan plan = FloorPlan::theatre(rows, seatsPerRow, QStringLiteral("STAGE"),
        [](int row) { return row < 5 ? QStringLiteral("stalls") : QStringLiteral("rear"); });
    Sql::exec(db,
        QStringLiteral("INSERT INTO events (slug, name, kind, venue_id, starts_at, currency)"
                       " VALUES ('breakfast-ii', ?, 'seated', ?, ?, 'EUR')"),
        {QStringLiteral("Breakfast: A Sequel Called Lunch"), venue, evening(18)});
    const qint64 breakfast
        = lastId(db, QStringLiteral("events"), QStringLiteral("slug = 'breakfast-ii'"), {});
    Sql::exec(db, QStringLiteral("INSERT INTO event_plans (event_id, svg) VALUES (?, ?)"),
        {breakfast, QString::fromUtf8(plan.toSvg())});
    Sql::exec(db,
        QStringLiteral("INSERT INTO price_categories (event_id, code, name, price, color) VALUES"
                       " (?, 'stalls', 'Stalls', 4500, '#2563eb'), (?, 'rear', 'Rear stalls', "
                       "3000, '#0d9488')"),
        {breakfast, breakfast});

    // House seats at the ends of row A and the sound desk in row J.
    const QStringList blocked{
        QStringLiteral("A1"), QStringLiteral("A16"), QStringLiteral("J8"), QStringLiteral("J9")};
    for (const FloorPlan::Seat &seat : plan.seats) {
        Sql::exec(db,
            QStringLiteral(
                "INSERT INTO seats (event_id, label, category_id, blocked) VALUES"
                " (?, ?, (SELECT id FROM price_categories WHERE event_id = ? AND code = ?), ?)"),
            {breakfast, seat.label, breakfast, seat.category,
                blocked.contains(seat.label) ? 1 : 0});
    }

    Sql::exec(db,
        QStringLiteral(
            "INSERT INTO events (slug, name, kind, venue_id, starts_at, currency, capacity)"
            " VALUES ('open-air', 'Open Air: Brunch in the Park', 'general', ?, ?, 'EUR', 500)"),
        {venue, evening(25)});
    const qint64 openAir
        = lastId(db, QStringLiteral("events"), QStringLiteral("slug = 'open-air'"), {});
    Sql::exec(db,
        QStringLiteral("INSERT INTO price_categories (event_id, code, name, price, color)"
                       " VALUES (?, 'standing', 'Standing', 1900, '#7c3aed')"),
        {openAir});
    transaction.commit();
    return true;
}

} // namespace Marquee
