// Restart after kill -9: marquee-server with N live holds in its database
// (10,000 by default, made through the API) is killed with SIGKILL and
// started again on the same database with the same arguments, R times. Per
// restart, from spawn to (a) its "Web page:" line, (b) the first
// GET /healthz answering 200 (a storage job: the database answers), (c) the
// first GET /api/v1/events/open-air/availability showing all N places held,
// and (d) the first release of a hold made before the kill answering 204
// (sent once (c) is met; the cart then holds a new place, so N stays N).
// Target: serving again within 1 s, the worst (c) over the restarts. The
// client polls every --poll-ms (5) ms: bare connects until the port accepts,
// then GETs on one keep-alive connection each.
// Usage: node restart.mjs [--backend sqlite|postgresql] [--holds 10000] [--restarts 5]
//                         [--clients 32] [--hold-seconds 3600] [--poll-ms 5]
// Prints ROW lines, and FIG|restart.marquee.BACKEND|worst (c) ms and
// FIG|restart_healthz.marquee.BACKEND|worst (b) ms for report.mjs.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import {
  BenchDatabases, connection, exchange, figure, freePort, newCart, nowNs, nsToMs, ownCpuSeconds, parseArgs, row,
  sleep, startServer, stopServer, threadCpuSeconds,
} from './common.mjs';

const options = parseArgs({
  backend: 'sqlite', holds: '10000', restarts: '5', clients: '32', 'hold-seconds': '3600', 'poll-ms': '5',
});
const holds = Number(options.holds);
const restarts = Number(options.restarts);
const clients = Number(options.clients);
const backend = options.backend;
const name = 'restart after kill -9';
const label = `${backend}, ${holds.toLocaleString('en-US')} GA holds`;
const event = 'open-air';
const perCart = 10; // live holds per cart (API.md "Carts and holds")
const free = 500; // places left unheld, so the event is not sold out
const capacity = holds + free;
const pollMs = Number(options['poll-ms']);

function expect(condition, what) {
  if (!condition) throw new Error(what);
}

/** Runs \a sql on the SQLite file with python3's sqlite3 (no sqlite3 CLI needed); the first column of the first row. */
function sqlite(file, sql, { readOnly = false } = {}) {
  const script = 'import sqlite3, sys\n'
    + 'uri = ("file:" + sys.argv[1] + "?mode=ro") if sys.argv[3] == "ro" else ("file:" + sys.argv[1])\n'
    + 'db = sqlite3.connect(uri, uri=True)\n'
    + 'row = db.execute(sys.argv[2]).fetchone()\n'
    + 'db.commit()\n'
    + 'print("" if row is None else row[0])\n';
  return execFileSync('python3', ['-c', script, file, sql, readOnly ? 'ro' : 'rw']).toString().trim();
}

/** SQL on the benchmark's database (either backend); the first value. */
function sql(databases, statement, readOnly) {
  return backend === 'sqlite' ? sqlite(databases.name, statement, { readOnly }) : databases.psql(statement);
}

const liveHoldsSql = "SELECT COUNT(*) FROM holds h JOIN events e ON e.id = h.event_id"
  + ` WHERE e.slug = '${event}' AND h.state = 'live'`;

/** {capacity, available} of open-air from its availability snapshot, or null. */
async function availability(http) {
  const answer = await exchange(http, 'GET', `/api/v1/events/${event}/availability`);
  if (answer.status !== 200) return null;
  const snapshot = JSON.parse(answer.body);
  return { capacity: snapshot.capacity, available: snapshot.available };
}

/**
 * Resolves once 127.0.0.1:\a port accepts a connection, tried every pollMs
 * with a bare socket (cheaper for this client than an HTTP client per
 * refused attempt: on 2 cores the client's CPU slows the server's start):
 * {atNs, refused}.
 */
async function portOpen(port, deadlineNs) {
  for (let refused = 0; ; ++refused) {
    const open = await new Promise((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => { socket.destroy(); resolve(false); });
    });
    if (open) return { atNs: nowNs(), refused };
    if (nowNs() > deadlineNs) throw new Error(`nothing listens on port ${port} within the deadline`);
    await sleep(pollMs);
  }
}

/**
 * GET \a path on one keep-alive connection every pollMs until \a done(answer)
 * is true: {atNs, attempts, failed, other}.
 */
async function pollUntil(port, path, done, deadlineNs) {
  const http = connection(port);
  const tally = { attempts: 0, failed: 0, other: 0 };
  try {
    for (;;) {
      ++tally.attempts;
      const answer = await exchange(http, 'GET', path);
      if (answer.status !== 0 && done(answer)) return { ...tally, atNs: nowNs() };
      if (answer.status === 0) ++tally.failed;
      else ++tally.other;
      if (nowNs() > deadlineNs) throw new Error(`GET ${path}: not done within the deadline (last: ${answer.status} ${answer.body})`);
      await sleep(pollMs);
    }
  } finally {
    await http.close().catch(() => {});
  }
}

/** Median (lower middle) and worst of \a values. */
function medianWorst(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor((sorted.length - 1) / 2)], worst: sorted[sorted.length - 1] };
}
const msPair = (values) => {
  const { median, worst } = medianWorst(values);
  return `${median.toFixed(1)} / ${worst.toFixed(1)}`;
};

function killed(server) {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}

/** Makes \a holds quantity-1 holds of open-air on ceil(holds / 10) carts, \a clients at a time. */
async function makeHolds(port) {
  const carts = [];
  let next = 0; // holds handed out so far
  const worker = async () => {
    const http = connection(port);
    try {
      while (next < holds) {
        const count = Math.min(perCart, holds - next);
        next += count;
        const cart = await newCart(http);
        expect(cart, 'POST /api/v1/carts: no cart');
        cart.holds = [];
        carts.push(cart);
        for (let i = 0; i < count; ++i) {
          const answer = await exchange(http, 'POST', `/api/v1/carts/${cart.cart}/holds`,
            { token: cart.token, body: `{"event":"${event}","quantity":1}` });
          expect(answer.status === 201, `hold ${carts.length}/${i}: ${answer.status} ${answer.body}`);
          cart.holds.push(JSON.parse(answer.body).hold);
        }
      }
    } finally {
      await http.close();
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  return carts;
}

const databases = new BenchDatabases(backend);
let server;
let exitCode = 0;
try {
  expect(holds > 0 && restarts > 0 && clients > 0, '--holds, --restarts and --clients must be positive');
  await databases.start();
  const db = databases.fresh();
  const port = await freePort();
  // The same arguments every time; one fixed port, so the client can knock
  // before the server has printed it (startServer's --listen …:0 is overridden).
  const serverArguments = ['--listen', `127.0.0.1:${port}`, '--hold-seconds', options['hold-seconds']];

  // The demo database, then open-air made big enough while no server runs
  // (the server reads capacities at start).
  server = await startServer(db, serverArguments);
  await stopServer(server);
  server = undefined;
  sql(databases, `UPDATE events SET capacity = ${capacity} WHERE slug = '${event}'`);
  server = await startServer(db, serverArguments);
  let http = connection(server.port);
  const before = await availability(http);
  expect(before?.capacity === capacity && before.available === capacity,
    `open-air before the holds: ${JSON.stringify(before)}, expected ${capacity} of ${capacity} available`);
  await http.close();

  const makeStart = nowNs();
  const carts = await makeHolds(server.port);
  const makeSeconds = nsToMs(nowNs() - makeStart) / 1000;
  http = connection(server.port);
  const made = await availability(http);
  await http.close();
  const liveInDatabase = Number(sql(databases, liveHoldsSql, true));
  expect(made.available === free && liveInDatabase === holds,
    `after the holds: ${made.available} of ${made.capacity} available (expected ${free}), ${liveInDatabase} live holds in the database`);
  console.log(`${name} on ${label}: ${holds} holds on ${carts.length} carts made in ${makeSeconds.toFixed(1)} s`
    + ` (${(holds / makeSeconds).toFixed(0)}/s, ${clients} clients); ${liveInDatabase} live in the database`);

  // This client's polling code runs once before the first kill, so that its
  // first compilation is not inside restart 1 (the client shares 2 cores with
  // the starting server): refused connects on a closed port, GETs here.
  const closedPort = await freePort();
  await portOpen(closedPort, nowNs() + 50_000_000n).catch(() => {});
  await pollUntil(port, '/healthz', (answer) => answer.status === 200, nowNs() + 5_000_000_000n);
  await pollUntil(port, `/api/v1/events/${event}/availability`, (answer) => answer.status === 200, nowNs() + 5_000_000_000n);

  const times = { port: [], healthz: [], availability: [], release: [], cpu: [], client: [] };
  let wrongSnapshots = 0;
  for (let r = 0; r < restarts; ++r) {
    await killed(server);
    server = undefined;
    const clientCpuBefore = ownCpuSeconds();
    const spawnNs = nowNs();
    const deadlineNs = spawnNs + 60_000_000_000n;
    const started = startServer(db, serverArguments).then((s) => { server = s; return nowNs(); });
    const held = (answer) => {
      if (answer.status !== 200) return false;
      const snapshot = JSON.parse(answer.body);
      if (snapshot.capacity === capacity && snapshot.available === free) return true;
      ++wrongSnapshots;
      return false;
    };
    // The port may accept before the server has printed it (or the line has
    // reached this process): both are timed, and the GETs start at the accept.
    const opened = portOpen(port, deadlineNs);
    const [portNs, open, health, snapshot] = await Promise.all([
      started,
      opened,
      opened.then(() => pollUntil(port, '/healthz', (answer) => answer.status === 200, deadlineNs)),
      opened.then(() => pollUntil(port, `/api/v1/events/${event}/availability`, held, deadlineNs)),
    ]);
    const clientCpu = (ownCpuSeconds() - clientCpuBefore) * 1000;
    // Still live after the kill: a cart made before it releases one of its
    // holds (204) and takes a new place, so the next restart has N again.
    const cart = carts[(r * 7919) % carts.length];
    http = connection(port);
    const release = await exchange(http, 'DELETE', `/api/v1/carts/${cart.cart}/holds/${cart.holds[0]}`, { token: cart.token });
    const releaseNs = nowNs();
    expect(release.status === 204, `restart ${r + 1}: release of a hold made before the kill: ${release.status} ${release.body}`);
    const again = await exchange(http, 'POST', `/api/v1/carts/${cart.cart}/holds`,
      { token: cart.token, body: `{"event":"${event}","quantity":1}` });
    expect(again.status === 201, `restart ${r + 1}: new hold: ${again.status} ${again.body}`);
    cart.holds[0] = JSON.parse(again.body).hold;
    const after = await availability(http);
    expect(after?.available === free, `restart ${r + 1}: after release and hold ${JSON.stringify(after)}`);
    await http.close();
    // CPU the new server (all its threads) used to get here.
    let serverCpu = 0;
    for (const seconds of threadCpuSeconds(server.pid).values()) serverCpu += seconds;

    const ms = (ns) => nsToMs(ns - spawnNs);
    times.port.push(ms(portNs));
    times.healthz.push(ms(health.atNs));
    times.availability.push(ms(snapshot.atNs));
    times.release.push(ms(releaseNs));
    times.cpu.push(serverCpu * 1000);
    times.client.push(clientCpu);
    console.log(`  restart ${r + 1}: port printed ${ms(portNs).toFixed(1)} ms, accepting ${ms(open.atNs).toFixed(1)} ms`
      + ` (${open.refused} refused), /healthz 200 ${ms(health.atNs).toFixed(1)} ms (${health.attempts} GETs),`
      + ` ${holds} held shown ${ms(snapshot.atNs).toFixed(1)} ms (${snapshot.attempts} GETs),`
      + ` old hold released ${ms(releaseNs).toFixed(1)} ms; server CPU ${(serverCpu * 1000).toFixed(0)} ms,`
      + ` this client ${clientCpu.toFixed(0)} ms until both were seen`);
  }
  const liveAtEnd = Number(sql(databases, liveHoldsSql, true));
  expect(liveAtEnd === holds, `after the restarts: ${liveAtEnd} live holds in the database, not ${holds}`);
  expect(wrongSnapshots === 0, `${wrongSnapshots} availability answers showed another count than ${holds} held`);

  const worst = medianWorst(times.availability).worst;
  console.log(`  ${restarts} restarts: spawn → availability with ${holds} held, median / worst ${msPair(times.availability)} ms`
    + ` (target ≤ 1,000 ms: ${worst <= 1000 ? 'met' : 'not met'}); ${liveAtEnd} live holds in the database at the end`);
  row(name, label, 'holds made (s; holds/s)', `${makeSeconds.toFixed(1)}; ${(holds / makeSeconds).toFixed(0)}`);
  row(name, label, `spawn → port printed ms, median / worst of ${restarts}`, msPair(times.port));
  row(name, label, `spawn → /healthz 200 ms, median / worst of ${restarts}`, msPair(times.healthz));
  row(name, label, `spawn → availability shows ${holds} held ms, median / worst of ${restarts}`, msPair(times.availability));
  row(name, label, `spawn → old hold released (204) ms, median / worst of ${restarts}`, msPair(times.release));
  row(name, label, 'CPU ms, median / worst: server from spawn to the checks after the release; this client until (b) and (c)',
    `server ${msPair(times.cpu)}; client ${msPair(times.client)}`);
  figure(`restart.marquee.${backend}`, worst);
  figure(`restart_healthz.marquee.${backend}`, medianWorst(times.healthz).worst);
} catch (error) {
  console.error(`${name}: ${error.stack ?? error}`);
  if (server?.output) console.error(`server output:\n${server.output}`);
  exitCode = 1;
} finally {
  if (server) await stopServer(server);
  databases.stop();
}
process.exit(exitCode);
