#include "DemoSeeder.h"

#include "Clock.h"
#include "FloorPlan.h"
#include "Sql.h"

#include <QTimeZone>

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

const QString venueZone = QStringLiteral("Europe/Berlin");

/// 19:30 at the venue, \a days from the clock's today, as stored (UTC).
QString eveningAtVenue(const Clock &clock, int days)
{
    const QDate today = clock.now().date();
    return isoUtc(QDateTime(today.addDays(days), QTime(19, 30), QTimeZone(venueZone.toUtf8())));
}

/// Inserts the plan's seats a few hundred rows per statement: the arena's
/// 20,000 one by one would keep a PostgreSQL demo start waiting seconds.
void insertSeats(const QSqlDatabase &db, qint64 event, const FloorPlan &plan,
    const QHash<QString, qint64> &categoryIds, const QStringList &blocked)
{
    constexpr int perStatement = 250;
    for (qsizetype first = 0; first < plan.seats.size(); first += perStatement) {
        const qsizetype count = std::min<qsizetype>(perStatement, plan.seats.size() - first);
        QStringList rows;
        QVariantList values;
        for (qsizetype i = first; i < first + count; ++i) {
            const FloorPlan::Seat &seat = plan.seats.at(i);
            rows.append(QStringLiteral("(?, ?, ?, ?)"));
            values << event << seat.label << categoryIds.value(seat.category)
                   << (blocked.contains(seat.label) ? 1 : 0);
        }
        Sql::exec(db,
            QStringLiteral("INSERT INTO seats (event_id, label, category_id, blocked) VALUES ")
                + rows.join(u','),
            values);
    }
}

QHash<QString, qint64> categoriesOf(const QSqlDatabase &db, qint64 event)
{
    QHash<QString, qint64> ids;
    Sql::Rows rows = Sql::exec(
        db, QStringLiteral("SELECT code, id FROM price_categories WHERE event_id = ?"), {event});
    while (rows.next())
        ids.insert(rows.value(0).toString(), rows.value(1).toLongLong());
    return ids;
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
    const auto evening = [&](int days) { return eveningAtVenue(clock, days); };

    constexpr int rows = 10;
    constexpr int seatsPerRow = 16;
    const FloorPlan plan = FloorPlan::theatre(rows, seatsPerRow, QStringLiteral("STAGE"),
        [](int row) { return row < 5 ? QStringLiteral("stalls") : QStringLiteral("rear"); });
    Sql::exec(db,
        QStringLiteral(
            "INSERT INTO events (slug, name, kind, venue_id, starts_at, currency, time_zone)"
            " VALUES ('breakfast-ii', ?, 'seated', ?, ?, 'EUR', ?)"),
        {QStringLiteral("Breakfast: A Sequel Called Lunch"), venue, evening(18), venueZone});
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
    insertSeats(db, breakfast, plan, categoriesOf(db, breakfast), blocked);

    Sql::exec(db,
        QStringLiteral(
            "INSERT INTO events (slug, name, kind, venue_id, starts_at, currency, capacity,"
            " time_zone)"
            " VALUES ('open-air', 'Open Air: Brunch in the Park', 'general', ?, ?, 'EUR', 500, ?)"),
        {venue, evening(25), venueZone});
    const qint64 openAir
        = lastId(db, QStringLiteral("events"), QStringLiteral("slug = 'open-air'"), {});
    Sql::exec(db,
        QStringLiteral("INSERT INTO price_categories (event_id, code, name, price, color)"
                       " VALUES (?, 'standing', 'Standing', 1900, '#7c3aed')"),
        {openAir});
    transaction.commit();
    return true;
}

bool DemoSeeder::seedArena(const QSqlDatabase &db, const Clock &clock)
{
    Transaction transaction(db);
    Sql::lockUntilCommit(db, SeedLock);
    if (!Sql::scalar(db, QStringLiteral("SELECT id FROM events WHERE slug = 'arena'")).isNull())
        return false;
    const QString venueName = QStringLiteral("Marquee Arena");
    Sql::exec(db, QStringLiteral("INSERT INTO venues (name) VALUES (?)"), {venueName});
    const qint64 venue
        = lastId(db, QStringLiteral("venues"), QStringLiteral("name = ?"), {venueName});

    // 80 rows of 250: a plan big enough to show that the page and the
    // counter stay quick (and zoomable) with 20,000 seats.
    const FloorPlan plan = FloorPlan::theatre(80, 250, QStringLiteral("STAGE"), [](int row) {
        return row < 20 ? QStringLiteral("floor")
                        : (row < 50 ? QStringLiteral("lower") : QStringLiteral("upper"));
    });
    Sql::exec(db,
        QStringLiteral(
            "INSERT INTO events (slug, name, kind, venue_id, starts_at, currency, time_zone)"
            " VALUES ('arena', 'Arena: Pancakes Live', 'seated', ?, ?, 'EUR', ?)"),
        {venue, eveningAtVenue(clock, 40), venueZone});
    const qint64 arena = lastId(db, QStringLiteral("events"), QStringLiteral("slug = 'arena'"), {});
    Sql::exec(db, QStringLiteral("INSERT INTO event_plans (event_id, svg) VALUES (?, ?)"),
        {arena, QString::fromUtf8(plan.toSvg())});
    Sql::exec(db,
        QStringLiteral("INSERT INTO price_categories (event_id, code, name, price, color) VALUES"
                       " (?, 'floor', 'Floor', 8900, '#2563eb'),"
                       " (?, 'lower', 'Lower tier', 6500, '#0d9488'),"
                       " (?, 'upper', 'Upper tier', 3900, '#7c3aed')"),
        {arena, arena, arena});
    insertSeats(db, arena, plan, categoriesOf(db, arena), {});
    transaction.commit();
    return true;
}

} // namespace Marquee
