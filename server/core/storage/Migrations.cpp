#include "Migrations.h"

#include "Sql.h"
#include "Tokens.h"

#include <QStringList>

namespace Marquee {

namespace {

// Each step is a list of statements. The invariants live here as constraints
// so that a bug in the services cannot break them silently:
// - seat_claims has one row per held or sold seat (primary key: a second
//   live claim on a seat is rejected by the database);
// - a GA event can never have more held and sold than its capacity.
const QList<QStringList> &steps()
{
    static const QList<QStringList> all = {
        {
            QStringLiteral("CREATE TABLE venues (id {{ID}}, name TEXT NOT NULL)"),
            QStringLiteral(
                "CREATE TABLE events (id {{ID}}, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
                " kind TEXT NOT NULL CHECK (kind IN ('seated', 'general')),"
                " venue_id BIGINT NOT NULL REFERENCES venues(id),"
                " starts_at TEXT NOT NULL, currency TEXT NOT NULL CHECK (length(currency) = 3),"
                " capacity INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),"
                " ga_held INTEGER NOT NULL DEFAULT 0 CHECK (ga_held >= 0),"
                " ga_sold INTEGER NOT NULL DEFAULT 0 CHECK (ga_sold >= 0),"
                " version BIGINT NOT NULL DEFAULT 0 CHECK (version >= 0),"
                " plan_svg TEXT,"
                " CHECK (ga_held + ga_sold <= capacity))"),
            QStringLiteral(
                "CREATE TABLE price_categories (id {{ID}},"
                " event_id BIGINT NOT NULL REFERENCES events(id),"
                " code TEXT NOT NULL, name TEXT NOT NULL, price BIGINT NOT NULL CHECK (price >= 0),"
                " color TEXT NOT NULL, UNIQUE (event_id, code))"),
            QStringLiteral(
                "CREATE TABLE seats (id {{ID}}, event_id BIGINT NOT NULL REFERENCES events(id),"
                " label TEXT NOT NULL, category_id BIGINT NOT NULL REFERENCES price_categories(id),"
                " blocked INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),"
                " UNIQUE (event_id, label))"),
            QStringLiteral("CREATE TABLE carts (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL,"
                           " created_at TEXT NOT NULL, expires_at TEXT NOT NULL)"),
            QStringLiteral(
                "CREATE TABLE orders (id TEXT PRIMARY KEY, cart_id TEXT REFERENCES carts(id),"
                " channel TEXT NOT NULL CHECK (channel IN ('counter', 'online')),"
                " payment TEXT NOT NULL,"
                " state TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'refunded', 'void')),"
                " total BIGINT NOT NULL CHECK (total >= 0), currency TEXT NOT NULL,"
                " created_at TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE holds (id TEXT PRIMARY KEY, cart_id TEXT NOT NULL "
                           "REFERENCES carts(id),"
                           " event_id BIGINT NOT NULL REFERENCES events(id),"
                           " quantity INTEGER NOT NULL CHECK (quantity > 0),"
                           " total BIGINT NOT NULL CHECK (total >= 0),"
                           " state TEXT NOT NULL CHECK (state IN ('live', 'released', 'sold')),"
                           " renewals INTEGER NOT NULL DEFAULT 0 CHECK (renewals >= 0),"
                           " order_id TEXT REFERENCES orders(id),"
                           " created_at TEXT NOT NULL, expires_at TEXT NOT NULL)"),
            QStringLiteral("CREATE INDEX holds_by_cart ON holds (cart_id, state)"),
            QStringLiteral("CREATE INDEX holds_by_expiry ON holds (state, expires_at)"),
            QStringLiteral("CREATE INDEX holds_by_order ON holds (order_id)"),
            QStringLiteral(
                "CREATE TABLE hold_seats (hold_id TEXT NOT NULL REFERENCES holds(id),"
                " seat_id BIGINT NOT NULL REFERENCES seats(id), PRIMARY KEY (hold_id, seat_id))"),
            QStringLiteral(
                "CREATE TABLE order_lines (id {{ID}}, order_id TEXT NOT NULL REFERENCES orders(id),"
                " event_id BIGINT NOT NULL REFERENCES events(id), seat_id BIGINT REFERENCES "
                "seats(id),"
                " category_code TEXT NOT NULL, ticket_type TEXT NOT NULL,"
                " price BIGINT NOT NULL CHECK (price >= 0))"),
            QStringLiteral(
                "CREATE TABLE seat_claims (seat_id BIGINT PRIMARY KEY REFERENCES seats(id),"
                " event_id BIGINT NOT NULL REFERENCES events(id),"
                " kind TEXT NOT NULL CHECK (kind IN ('held', 'sold')),"
                " hold_id TEXT REFERENCES holds(id), order_id TEXT REFERENCES orders(id),"
                " CHECK ((kind = 'held' AND hold_id IS NOT NULL)"
                "     OR (kind = 'sold' AND order_id IS NOT NULL)))"),
            QStringLiteral("CREATE INDEX seat_claims_by_hold ON seat_claims (hold_id)"),
            // A payment is what the provider is asked to collect for a pending
            // order; card data never comes here, only the provider's reference.
            QStringLiteral("CREATE TABLE payments (id TEXT PRIMARY KEY, order_id TEXT NOT NULL "
                           "REFERENCES orders(id),"
                           " amount BIGINT NOT NULL CHECK (amount >= 0), currency TEXT NOT NULL,"
                           " state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', "
                           "'failed', 'refund_due', 'refunded')),"
                           " reference TEXT, created_at TEXT NOT NULL, expires_at TEXT NOT NULL)"),
            // Every confirmation attempt is kept under its idempotency key with
            // the answer it got, so a repeat gets the same answer; at most one
            // confirmation per payment takes effect.
            QStringLiteral(
                "CREATE TABLE payment_confirmations (idempotency_key TEXT PRIMARY KEY,"
                " payment_id TEXT NOT NULL REFERENCES payments(id), request_hash TEXT NOT NULL,"
                " status INTEGER NOT NULL, response TEXT NOT NULL, took_effect INTEGER NOT NULL,"
                " created_at TEXT NOT NULL)"),
            QStringLiteral("CREATE UNIQUE INDEX one_effective_confirmation ON "
                           "payment_confirmations (payment_id)"
                           " WHERE took_effect = 1"),
            QStringLiteral(
                "CREATE TABLE staff_tokens (token_hash TEXT PRIMARY KEY, role TEXT NOT NULL,"
                " created_at TEXT NOT NULL)"),
        },
        {
            // 2: a ticket costs what the hold said when the customer chose
            // it (a price changed during checkout must not make the payment
            // and the tickets disagree); counter sales are idempotent.
            QStringLiteral("ALTER TABLE hold_seats ADD COLUMN price BIGINT NOT NULL DEFAULT 0"
                           " CHECK (price >= 0)"),
            QStringLiteral("UPDATE hold_seats SET price = (SELECT p.price FROM seats s"
                           " JOIN price_categories p ON p.id = s.category_id"
                           " WHERE s.id = hold_seats.seat_id)"),
            // A counter sale is kept under the terminal's idempotency key
            // with what came of it, so a retry after a lost answer gets the
            // same order instead of "nothing to sell".
            QStringLiteral(
                "CREATE TABLE counter_sales (idempotency_key TEXT PRIMARY KEY,"
                " request_hash TEXT NOT NULL, outcome TEXT NOT NULL,"
                " order_id TEXT REFERENCES orders(id), lost_holds TEXT NOT NULL DEFAULT '',"
                " created_at TEXT NOT NULL)"),
            QStringLiteral("CREATE INDEX carts_by_expiry ON carts (expires_at)"),
        },
        {
            // 3: PostgreSQL keeps times as timestamptz, so it compares and
            // indexes them as times (SQLite has no such type; its ISO-8601
            // UTC text of one fixed form sorts as time).
            QStringLiteral("{{PG}}ALTER TABLE events ALTER COLUMN starts_at TYPE timestamptz USING "
                           "starts_at::timestamptz"),
            QStringLiteral("{{PG}}ALTER TABLE carts ALTER COLUMN created_at TYPE timestamptz USING "
                           "created_at::timestamptz"),
            QStringLiteral("{{PG}}ALTER TABLE carts ALTER COLUMN expires_at TYPE timestamptz USING "
                           "expires_at::timestamptz"),
            QStringLiteral("{{PG}}ALTER TABLE orders ALTER COLUMN created_at TYPE timestamptz "
                           "USING created_at::timestamptz"),
            QStringLiteral("{{PG}}ALTER TABLE holds ALTER COLUMN created_at TYPE timestamptz USING "
                           "created_at::timestamptz"),
            QStringLiteral("{{PG}}ALTER TABLE holds ALTER COLUMN expires_at TYPE timestamptz USING "
                           "expires_at::timestamptz"),
            QStringLiteral("{{PG}}ALTER TABLE payments ALTER COLUMN created_at TYPE timestamptz "
                           "USING created_at::timestamptz"),
            QStringLiteral("{{PG}}ALTER TABLE payments ALTER COLUMN expires_at TYPE timestamptz "
                           "USING expires_at::timestamptz"),
            QStringLiteral("{{PG}}ALTER TABLE payment_confirmations ALTER COLUMN created_at TYPE "
                           "timestamptz USING created_at::timestamptz"),
            QStringLiteral("{{PG}}ALTER TABLE staff_tokens ALTER COLUMN created_at TYPE "
                           "timestamptz USING created_at::timestamptz"),
            QStringLiteral("{{PG}}ALTER TABLE counter_sales ALTER COLUMN created_at TYPE "
                           "timestamptz USING created_at::timestamptz"),
        },
        {
            // 4: a confirmation keeps its outcome in the checkout's terms;
            // status and response (the HTTP answer) are no longer written.
            QStringLiteral("ALTER TABLE payment_confirmations ADD COLUMN outcome TEXT NOT NULL"
                           " DEFAULT ''"),
        },
        {
            // 5: the floor plan leaves the events row. Every hold, sale and
            // release writes that row (version, GA counters); with a plan of
            // tens of kilobytes in it SQLite rewrote the whole plan each time
            // (measured: 830 hold+release pairs/s without it in the row's
            // way before, 510 once the write also returned the row).
            QStringLiteral("CREATE TABLE event_plans (event_id BIGINT PRIMARY KEY REFERENCES"
                           " events(id), svg TEXT NOT NULL)"),
            QStringLiteral("INSERT INTO event_plans (event_id, svg)"
                           " SELECT id, plan_svg FROM events WHERE plan_svg IS NOT NULL"),
            QStringLiteral("UPDATE events SET plan_svg = NULL"),
        },
        {
            // 6: staff accounts. The hash is libsodium's argon2id string
            // (algorithm, limits and salt in it); no password is stored.
            QStringLiteral("CREATE TABLE users (id {{ID}}, name TEXT NOT NULL UNIQUE,"
                           " password_hash TEXT NOT NULL,"
                           " role TEXT NOT NULL CHECK (role IN ('clerk', 'manager', 'admin')),"
                           " disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
                           " created_at {{TIME}} NOT NULL, password_changed_at {{TIME}} NOT NULL)"),
        },
        {
            // 7: sign-in sessions (only the token's hash is kept) and failed
            // sign-ins, which ban a name or an address for a while.
            QStringLiteral("CREATE TABLE sessions (token_hash TEXT PRIMARY KEY,"
                           " user_id BIGINT NOT NULL REFERENCES users(id),"
                           " created_at {{TIME}} NOT NULL, last_seen_at {{TIME}} NOT NULL,"
                           " expires_at {{TIME}} NOT NULL, ended_at {{TIME}})"),
            QStringLiteral("CREATE INDEX sessions_by_user ON sessions (user_id)"),
            QStringLiteral("CREATE TABLE login_failures (id {{ID}}, user_name TEXT NOT NULL,"
                           " address TEXT NOT NULL, at {{TIME}} NOT NULL)"),
            QStringLiteral("CREATE INDEX login_failures_by_name ON login_failures (user_name, at)"),
            QStringLiteral(
                "CREATE INDEX login_failures_by_address ON login_failures (address, at)"),
        },
        {
            // 8: machine credentials replace the staff tokens, which never
            // expired, had no name and could not be revoked. Those tokens
            // stop working: staff sign in, machines get a credential.
            QStringLiteral("CREATE TABLE credentials (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
                           " purpose TEXT NOT NULL CHECK (purpose IN ('payments', 'scanner')),"
                           " token_hash TEXT NOT NULL UNIQUE, created_at {{TIME}} NOT NULL,"
                           " expires_at {{TIME}} NOT NULL, revoked_at {{TIME}},"
                           " created_by TEXT NOT NULL)"),
            QStringLiteral("CREATE INDEX credentials_by_name ON credentials (name)"),
            QStringLiteral("DROP TABLE staff_tokens"),
        },
        {
            // 9: the audit trail. Append-only, and not on trust: the
            // database itself refuses to change or remove an entry.
            QStringLiteral("CREATE TABLE audit_log (id {{ID}}, at {{TIME}} NOT NULL,"
                           " actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL,"
                           " address TEXT NOT NULL, event TEXT, details TEXT NOT NULL)"),
            QStringLiteral("CREATE INDEX audit_log_by_actor ON audit_log (actor, id)"),
            QStringLiteral("CREATE INDEX audit_log_by_event ON audit_log (event, id)"),
            QStringLiteral("{{SQLITE}}CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
                           " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"),
            QStringLiteral("{{SQLITE}}CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
                           " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"),
            QStringLiteral("{{PG}}CREATE FUNCTION audit_log_append_only() RETURNS trigger"
                           " LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION"
                           " 'the audit log is append-only'; END $$"),
            QStringLiteral("{{PG}}CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON"
                           " audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"),
            QStringLiteral("{{PG}}CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON"
                           " audit_log FOR EACH STATEMENT EXECUTE FUNCTION"
                           " audit_log_append_only()"),
        },
        {
            // 10: the client address whose hold cap a cart counts against
            // (--client-hold-limit); NULL for staff carts, exempt clients and
            // carts made before this step, which no cap applies to.
            QStringLiteral("ALTER TABLE carts ADD COLUMN client_address TEXT"),
            QStringLiteral("CREATE INDEX carts_by_client ON carts (client_address)"),
        },
        {
            // 11: the clerk whose session made a counter cart, so the audit
            // trail names who held and released its seats; NULL for buyers.
            QStringLiteral("ALTER TABLE carts ADD COLUMN staff_user TEXT"),
        },
        {
            // 12: a cart's live holds (counted at every hold) found by the
            // cart: on (cart_id, state) SQLite's planner preferred
            // holds_by_expiry and read every live hold of every cart, so a
            // hold cost more the more others held (EXPLAIN QUERY PLAN).
            QStringLiteral("CREATE INDEX holds_by_cart_live ON holds (cart_id, state, expires_at)"),
            QStringLiteral("DROP INDEX holds_by_cart"),
        },
        {
            // 13: online payment and tickets. An event's times are shown in
            // its venue's zone; an online order knows who bought it; a
            // ticket has a secret code its QR carries, is revoked by a
            // refund and redeemed once at the door. Server secrets (the
            // order links', the test payment provider's) are made at first
            // start and never leave the database.
            QStringLiteral("ALTER TABLE events ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC'"),
            QStringLiteral("ALTER TABLE orders ADD COLUMN buyer_name TEXT"),
            QStringLiteral("ALTER TABLE orders ADD COLUMN buyer_email TEXT"),
            QStringLiteral("ALTER TABLE order_lines ADD COLUMN code TEXT"),
            QStringLiteral("ALTER TABLE order_lines ADD COLUMN state TEXT NOT NULL DEFAULT 'valid'"
                           " CHECK (state IN ('valid', 'revoked'))"),
            QStringLiteral("ALTER TABLE order_lines ADD COLUMN redeemed_at {{TIME}}"),
            QStringLiteral("ALTER TABLE order_lines ADD COLUMN redeemed_by TEXT"),
            QStringLiteral("CREATE UNIQUE INDEX order_lines_by_code ON order_lines (code)"),
            QStringLiteral("CREATE INDEX order_lines_by_order ON order_lines (order_id)"),
            QStringLiteral("ALTER TABLE payments ADD COLUMN provider TEXT NOT NULL DEFAULT 'test'"),
            QStringLiteral("CREATE TABLE server_secrets (name TEXT PRIMARY KEY,"
                           " value TEXT NOT NULL, created_at {{TIME}} NOT NULL)"),
        },
        {
            // 14: a door's scan carries an idempotency key, so a request
            // that Qt (or a scanner app) sends again after a lost answer
            // gets the first verdict, not "already in" for the guest it
            // just let in.
            QStringLiteral("CREATE TABLE checkin_replays (idempotency_key TEXT PRIMARY KEY,"
                           " code TEXT NOT NULL, result TEXT NOT NULL,"
                           " created_at {{TIME}} NOT NULL)"),
        },
        {
            // 15: when a refund_due payment's money was last asked back from
            // its provider (PendingRefunds). Every server sweeps; the one
            // that claims a payment asks, the others leave it alone until
            // the claim is old enough to mean that ask went unanswered.
            QStringLiteral("ALTER TABLE payments ADD COLUMN refund_asked_at {{TIME}}"),
            QStringLiteral("CREATE INDEX payments_refund_due ON payments (refund_asked_at)"
                           " WHERE state = 'refund_due'"),
        },
    };
    return all;
}

/// The statement as \a sqlite or PostgreSQL spells it; empty when it is
/// for the other one only ("{{PG}}…", "{{SQLITE}}…").
QString dialect(QString statement, bool sqlite)
{
    for (const auto &[prefix, forSqlite] :
        {std::pair{QLatin1String("{{PG}}"), false}, {QLatin1String("{{SQLITE}}"), true}}) {
        if (statement.startsWith(prefix)) {
            if (sqlite != forSqlite)
                return {};
            statement.remove(0, prefix.size());
        }
    }
    statement.replace(
        QLatin1String("{{TIME}}"), sqlite ? QLatin1String("TEXT") : QLatin1String("timestamptz"));
    return statement.replace(QLatin1String("{{ID}}"),
        sqlite ? QLatin1String("INTEGER PRIMARY KEY AUTOINCREMENT")
               : QLatin1String("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"));
}

/// PostgreSQL: one upgrade at a time across every server on the database.
class MigrationLock
{
public:
    explicit MigrationLock(const QSqlDatabase &db)
        : m_db(db)
        , m_held(!Sql::isSqlite(db))
    {
        if (m_held)
            Sql::exec(m_db, QStringLiteral("SELECT pg_advisory_lock(%1)").arg(Key));
    }
    ~MigrationLock()
    {
        if (m_held) {
            QSqlQuery unlock(m_db);
            unlock.exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(Key));
        }
    }
    MigrationLock(const MigrationLock &) = delete;
    MigrationLock &operator=(const MigrationLock &) = delete;

private:
    static constexpr qint64 Key = 0x4d61727175656531; // "Marquee1"
    QSqlDatabase m_db;
    bool m_held;
};

/// Step 13's data: tickets sold before codes existed get one each, so they
/// open the door and print like any other. Random codes cannot be made in
/// SQL that both databases speak, hence here.
void giveTicketsCodes(const QSqlDatabase &db)
{
    QList<qint64> lines;
    {
        Sql::Rows uncoded
            = Sql::exec(db, QStringLiteral("SELECT id FROM order_lines WHERE code IS NULL"));
        while (uncoded.next())
            lines.append(uncoded.value(0).toLongLong());
    }
    for (const qint64 line : std::as_const(lines)) {
        Sql::exec(db, QStringLiteral("UPDATE order_lines SET code = ? WHERE id = ?"),
            {Tokens::newCode(), line});
    }
}

} // namespace

int Migrations::latest()
{
    return int(steps().size());
}

int Migrations::apply(const QSqlDatabase &db, int target)
{
    if (target < 0)
        target = latest();
    const bool sqlite = Sql::isSqlite(db);
    // Several servers may start (or reconnect) at once: one migrates, the
    // others wait and then find the schema current. PostgreSQL: an advisory
    // lock for the whole upgrade; SQLite: each step's BEGIN IMMEDIATE, with
    // the version read again under it.
    const MigrationLock lock(db);
    Sql::exec(
        db, QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"));
    for (;;) {
        Transaction transaction(db);
        int current
            = Sql::scalar(db, QStringLiteral("SELECT MAX(version) FROM schema_version")).toInt();
        if (current >= target)
            return current;
        for (const QString &statement : steps().at(current)) {
            const QString spelled = dialect(statement, sqlite);
            if (!spelled.isEmpty())
                Sql::exec(db, spelled);
        }
        ++current;
        if (current == 13)
            giveTicketsCodes(db);
        Sql::exec(db, QStringLiteral("INSERT INTO schema_version (version) VALUES (?)"), {current});
        transaction.commit();
    }
}

} // namespace Marquee
