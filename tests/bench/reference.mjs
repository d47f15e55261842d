// The database references for hold throughput: what the database itself
// does with the transactions of one hold and its release, without Marquee
// (no HTTP, no Qt, statements prepared once), under the same conditions as
// holds.mjs. The schema and data are a real --demo database: marquee-server
// is started once on it (it migrates and seeds) and stopped.
//   --backend postgresql: pgbench -M prepared -c CLIENTS -j 2 -T SECONDS
//     with a custom script (written here) of the statements HoldService runs
//     on PostgreSQL, one cart and one seat per pgbench client; after a 1 s
//     pgbench warm-up. Then the same with -c 1 -j 1: one connection, one
//     transaction at a time, as one marquee-server's storage thread runs
//     them. Cluster as for holds.mjs: on a disk, fsync on.
//   --backend sqlite: sqlite_loop.py, the statements HoldService runs on
//     SQLite in a loop on one connection (one writer), WAL, synchronous=FULL,
//     on a disk; 1 s warm-up.
// One pair = one hold and its release, each its own transaction.
// Usage: node reference.mjs [--backend sqlite|postgresql] [--events breakfast-ii,open-air]
//                           [--clients 50] [--seconds 10]
//        node reference.mjs --print-script breakfast-ii|open-air   (the pgbench script)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BenchDatabases, cpuShare, figure, parseArgs, row, startServer, stopServer, threadCpuSeconds,
} from './common.mjs';

const options = parseArgs({
  backend: 'sqlite', events: 'breakfast-ii,open-air', clients: '50', seconds: '10', 'print-script': '',
});
const clients = Number(options.clients);
const seconds = Number(options.seconds);
const backend = options.backend;
const here = path.dirname(fileURLToPath(import.meta.url));

/** Runs \a program to its end: {code, stdout, stderr, cpu}; \a sample(pid) at start and end. */
function run(program, args, sample) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.once('error', reject);
    const first = sample?.(child.pid);
    let lastSample = first;
    // The last reading before it exits: a finished process has no /proc entry.
    const timer = sample && setInterval(() => { lastSample = sample(child.pid); }, 200);
    child.once('exit', (code) => {
      if (timer) clearInterval(timer);
      resolve({ code, stdout, stderr, first, last: lastSample });
    });
  });
}

// --- PostgreSQL: pgbench ------------------------------------------------------

// pgbench variables: client_id (0..clients-1) picks the cart (ids 1000000 + n,
// made below) and, on the seated event, the seat: rows B to I, 16 a row
// (none blocked), label = chr(row) || number. hid is the new hold's id.
const pgCommon = `\\set cart 1000000 + :client_id
\\set row 66 + :client_id / 16
\\set num 1 + :client_id % 16
\\set hid random(1000000000000000, 8999999999999999)
`;

/** The statements of HoldService::hold and ::release (+ CartService::authorize) on PostgreSQL. */
function pgbenchScript(event, seated) {
  const authorize = 'SELECT token_hash, expires_at, staff_user FROM carts WHERE id = :cart;';
  const lockCart = 'SELECT id FROM carts WHERE id = :cart FOR UPDATE;';
  const eventWrite = (delta) => 'UPDATE events SET version = version + 1, ga_held = ga_held + ' + delta
    + ', ga_sold = ga_sold + 0 WHERE id = :ev_id AND ga_held + ga_sold + ' + delta
    + ' <= capacity RETURNING version, capacity, ga_held, ga_sold \\gset';
  const audit = (action, details) => 'INSERT INTO audit_log (at, actor, action, subject, address, event, details)'
    + ` VALUES (now(), 'cart:' || :cart, '${action}', :hid, '127.0.0.1', '${event}', ${details});`;
  const label = "chr(:row) || :num";
  // ChangeNotice::encode: the channel message of the change, and the expiry of a new hold.
  const change = (state) => (seated
    ? `'{"changes":[{"event":"${event}","seats":{"' || ${label} || '":"${state}"},"type":"seats","version":' || :version || '}]'`
    : `'{"changes":[{"available":' || :available || ',"capacity":' || :capacity || ',"event":"${event}","type":"availability","version":' || :version || '}]'`);
  // (Not to_char(…, 'HH24:MI:SS'): pgbench would take ":MI" for a variable.)
  const expiry = `',"expiry":"' || date_trunc('second', now() + interval '600 seconds') || '"}'`;
  const notify = (state, withExpiry) => [
    ...(seated ? [] : ['\\set available :capacity - :ga_held - :ga_sold']),
    `SELECT pg_notify('marquee_changes', ${change(state)} || ${withExpiry ? expiry : "'}'"});`,
  ];
  const insertHold = 'INSERT INTO holds (id, cart_id, event_id, quantity, total, state, created_at, expires_at)'
    + " VALUES (:hid, :cart, :ev_id, 1, :price, 'live', now(), now() + interval '600 seconds');";
  const hold = seated ? [
    `SELECT id FROM seats WHERE event_id = :ev_id AND label IN (${label}) ORDER BY id FOR UPDATE;`,
    'SELECT s.id AS seat_id, s.blocked, COALESCE(c.seat_id, 0) AS claimed, p.price FROM seats s'
      + ' JOIN price_categories p ON p.id = s.category_id LEFT JOIN seat_claims c ON c.seat_id = s.id'
      + ` WHERE s.event_id = :ev_id AND s.label IN (${label}) ORDER BY s.id \\gset`,
    insertHold,
    'INSERT INTO hold_seats (hold_id, seat_id, price) VALUES (:hid, :seat_id, :price);',
    "INSERT INTO seat_claims (seat_id, event_id, kind, hold_id) VALUES (:seat_id, :ev_id, 'held', :hid);",
    eventWrite(0),
    audit('hold.create', `'{"cart":"' || :cart || '","seats":["' || ${label} || '"]}'`),
  ] : [
    'SELECT MIN(price) AS price FROM price_categories WHERE event_id = :ev_id \\gset',
    insertHold,
    eventWrite(1),
    audit('hold.create', `'{"cart":"' || :cart || '","quantity":1}'`),
  ];
  const release = [
    "SELECT id FROM holds WHERE id = :hid AND cart_id = :cart AND state = 'live' AND order_id IS NULL;",
    "UPDATE holds SET state = 'released' WHERE id = :hid AND state = 'live';",
    'SELECT h.event_id, e.slug, e.kind, h.quantity FROM holds h JOIN events e ON e.id = h.event_id WHERE h.id = :hid;',
    ...(seated ? [
      "SELECT s.label FROM seat_claims c JOIN seats s ON s.id = c.seat_id WHERE c.hold_id = :hid AND c.kind = 'held';",
      "DELETE FROM seat_claims WHERE hold_id = :hid AND kind = 'held';",
      eventWrite(0),
    ] : [eventWrite(-1)]),
    audit('hold.release', `'{"cart":"' || :cart || '"}'`),
  ];
  return [
    pgCommon.trimEnd(),
    '-- hold',
    authorize,
    'BEGIN;',
    lockCart,
    `SELECT id AS ev_id, kind, currency FROM events WHERE slug = '${event}' \\gset`,
    "SELECT COUNT(*) FROM holds WHERE cart_id = :cart AND state = 'live' AND expires_at > now();",
    'SELECT client_address FROM carts WHERE id = :cart;',
    ...hold,
    ...notify('held', true),
    'COMMIT;',
    '-- release',
    authorize,
    'BEGIN;',
    lockCart,
    ...release,
    ...notify('available', false),
    'COMMIT;',
    '',
  ].join('\n');
}

async function postgresReference(databases, events) {
  const port = String(databases.postgresPort);
  const settings = databases.psql("SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings"
    + " WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method')");
  console.log(`PostgreSQL settings: ${settings}`);
  databases.psql('INSERT INTO carts (id, token_hash, created_at, expires_at)'
    + ` SELECT (1000000 + n)::text, md5(n::text), now(), now() + interval '1 hour' FROM generate_series(0, ${clients - 1}) n`);
  let ok = true;
  // pgbench's threads are all its ("socket" is threadCpuSeconds' name for a main thread).
  const byProgram = (map) => {
    const merged = new Map();
    for (const [name, cpu] of map) {
      const key = name === 'postgres' ? 'postgres' : 'pgbench';
      merged.set(key, (merged.get(key) ?? 0) + cpu);
    }
    return merged;
  };
  for (const event of events) {
    const seated = event === 'breakfast-ii';
    if (seated && clients > 128) throw new Error('at most 128 clients on the seated event (rows B to I)');
    const script = path.join(databases.dir, `${event}.sql`);
    fs.writeFileSync(script, pgbenchScript(event, seated));
    // CLIENTS connections as specified; and one connection, which is how one
    // marquee-server runs them (one storage thread, one transaction at a time).
    const pgbench = (connections, threads, duration) => [`${databases.bin}/pgbench`, ['-n', '-M', 'prepared',
      '-c', String(connections), '-j', String(threads), '-T', String(duration), '-f', script, '-h', '127.0.0.1',
      '-p', port, '-U', 'postgres', databases.name]];
    // Warm-up (caches, the first holds' pages), not counted.
    const warm = await run(...pgbench(clients, 2, 1));
    if (warm.code !== 0) {
      throw new Error(`pgbench (warm-up) exited ${warm.code}:\n${warm.stderr}\n${warm.stdout}\nscript:\n${fs.readFileSync(script, 'utf8')}`);
    }
    for (const [connections, threads, key] of [[clients, 2, 'reference'], [1, 1, 'reference_c1']]) {
      const sample = (pid) => byProgram(threadCpuSeconds(pid, databases.postgresPort));
      const result = await run(...pgbench(connections, threads, seconds), sample);
      const tps = /^tps = ([\d.]+) \(without initial connection time\)/m.exec(result.stdout);
      const latency = /^latency average = ([\d.]+) ms/m.exec(result.stdout);
      const failed = /^number of failed transactions: (\d+)/m.exec(result.stdout);
      if (result.code !== 0 || !tps) {
        console.error(`pgbench exited ${result.code}:\n${result.stderr}\n${result.stdout}`);
        ok = false;
        continue;
      }
      const share = result.first && result.last ? cpuShare(result.first, result.last, seconds) : 'not measured';
      const pairs = Number(tps[1]);
      const name = `reference: pgbench -M prepared hold+release, -c ${connections} -j ${threads}`;
      const label = `postgresql, ${event}`;
      console.log(`${name} on ${label}, ${seconds} s: ${pairs.toFixed(0)} pairs/s, latency average ${latency?.[1]} ms per pair, failed ${failed?.[1] ?? '?'}; CPU ${share}`);
      row(name, label, 'hold+release pairs/s', pairs.toFixed(0));
      row(name, label, 'pair latency average ms', latency?.[1] ?? '?');
      row(name, label, 'CPU (postgres; pgbench)', share);
      row(name, label, 'settings', settings);
      figure(`pairs.${key}.postgresql.${seated ? 'seated' : 'ga'}`, pairs);
    }
  }
  return ok;
}

// --- SQLite: sqlite_loop.py ---------------------------------------------------

async function sqliteReference(databases, events) {
  // Debian's python3 (its sqlite3 module uses the system libsqlite3, as Qt's
  // QSQLITE plugin does) when there, else whichever is on the PATH.
  const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  let ok = true;
  for (const event of events) {
    const result = await run(python, [path.join(here, 'sqlite_loop.py'), databases.name, '--clients', String(clients),
      '--event', event, '--seconds', String(seconds), '--warmup', '1']);
    if (result.code !== 0) {
      console.error(`sqlite_loop.py exited ${result.code}:\n${result.stderr}${result.stdout}`);
      ok = false;
      continue;
    }
    const answer = JSON.parse(result.stdout.trim().split('\n').pop());
    const pairs = answer.pairs / answer.seconds;
    const name = `reference: SQLite loop hold+release, 1 writer, ${clients} carts`;
    const label = `sqlite, ${event}`;
    const settings = `journal_mode=${answer.journal_mode}, synchronous=${answer.synchronous} (2 = FULL), SQLite ${answer.sqlite_version}`;
    const cpu = `loop ${((answer.cpu_seconds / answer.seconds) * 100).toFixed(0)}%`;
    console.log(`${name} on ${label}, ${seconds} s: ${pairs.toFixed(0)} pairs/s; CPU ${cpu}; ${settings}`);
    row(name, label, 'hold+release pairs/s', pairs.toFixed(0));
    row(name, label, 'CPU (the loop, one process)', cpu);
    row(name, label, 'settings', settings);
    if (answer.synchronous !== 2 || answer.journal_mode !== 'wal') {
      console.error('the SQLite settings are not WAL + synchronous=FULL');
      ok = false;
      continue;
    }
    figure(`pairs.reference.sqlite.${event === 'breakfast-ii' ? 'seated' : 'ga'}`, pairs);
  }
  return ok;
}

if (options['print-script']) {
  process.stdout.write(pgbenchScript(options['print-script'], options['print-script'] === 'breakfast-ii'));
  process.exit(0);
}
const databases = new BenchDatabases(backend);
let exitCode = 0;
try {
  const events = options.events.split(',');
  for (const event of events) {
    if (event !== 'breakfast-ii' && event !== 'open-air') throw new Error(`--events takes breakfast-ii and open-air, not ${event}`);
  }
  await databases.start();
  const db = databases.fresh();
  // Migrates and seeds the demo events, as for every other benchmark.
  const server = await startServer(db);
  await stopServer(server);
  const ok = backend === 'postgresql' ? await postgresReference(databases, events) : await sqliteReference(databases, events);
  if (!ok) exitCode = 1;
} catch (error) {
  console.error(`reference (${backend}): ${error.stack ?? error}`);
  exitCode = 1;
} finally {
  databases.stop();
}
process.exit(exitCode);
