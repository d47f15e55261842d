// Hold throughput and snapshot cost: many keep-alive connections doing
// one-seat (or, on a GA event, quantity-1) holds and releases as fast as the
// server answers, optionally next to connections reading GET …/availability
// in a loop.
// Usage: node holds.mjs [--backend sqlite|postgresql] [--clients 50] [--readers 0]
//                       [--event breakfast-ii|open-air] [--seconds 10] [--name TEXT]
//                       [--sqlite-dir DIR] [--key KEY]
// --key KEY also writes the pairs/s as FIG|KEY|value for report.mjs.
import {
  BenchDatabases, Samples, availableSeats, connection, cpuShare, exchange, figure, newCart, nowNs,
  ownCpuSeconds, parseArgs, row, startServer, stopServer, threadCpuSeconds,
} from './common.mjs';

const options = parseArgs({
  backend: 'sqlite', clients: '50', readers: '0', event: 'breakfast-ii', seconds: '10', name: '',
  'sqlite-dir': '', key: '',
});
const clients = Number(options.clients);
const readers = Number(options.readers);
const seconds = Number(options.seconds);
const event = options.event;
const name = options.name || `holds ${clients} conns, ${readers} readers`;
const sqliteDir = options['sqlite-dir'];
const label = `${sqliteDir ? `${options.backend} in ${sqliteDir}` : options.backend}, ${event}`;

const tally = { hold: new Samples(), release: new Samples(), read: new Samples(), granted: 0, refused: 0, released: 0, reads: 0, other: 0 };
// The measured window: samples count only when sent inside it, so the
// warm-up (connections, caches, SQLite's page cache) is left out.
const window = { start: 0n, end: 0n };
const inWindow = (sentNs) => sentNs >= window.start && sentNs < window.end;

/**
 * One customer on its own connection and cart: hold a seat, release it, next
 * seat; on a GA event (no \a seats) hold one place and release it.
 */
async function holder(http, seats, { cart, token }) {
  for (let next = 0; nowNs() < window.end; ++next) {
    const body = seats ? `{"event":"${event}","seats":["${seats[next % seats.length]}"]}`
      : `{"event":"${event}","quantity":1}`;
    const hold = await exchange(http, 'POST', `/api/v1/carts/${cart}/holds`, { token, body });
    if (inWindow(hold.sentNs)) {
      tally.hold.add(hold.latencyNs);
      if (hold.status === 201) ++tally.granted;
      else if (hold.status === 409) ++tally.refused;
      else ++tally.other;
    }
    if (hold.status === 0) return;
    if (hold.status !== 201) continue;
    // The release always goes out, even after the window, so no seat stays held.
    const id = JSON.parse(hold.body).hold;
    const release = await exchange(http, 'DELETE', `/api/v1/carts/${cart}/holds/${id}`, { token });
    if (inWindow(release.sentNs)) {
      tally.release.add(release.latencyNs);
      if (release.status === 204) ++tally.released;
      else ++tally.other;
    }
    if (release.status === 0) return;
  }
}

/** Reads the availability snapshot over and over on its own connection. */
async function reader(http) {
  while (nowNs() < window.end) {
    const answer = await exchange(http, 'GET', '/api/v1/events/breakfast-ii/availability');
    if (inWindow(answer.sentNs)) {
      tally.read.add(answer.latencyNs);
      if (answer.status === 200) ++tally.reads;
      else ++tally.other;
    }
    if (answer.status === 0) return;
  }
}

const databases = new BenchDatabases(options.backend, sqliteDir);
let server;
let exitCode = 0;
try {
  await databases.start();
  server = await startServer(databases.fresh());
  const setup = connection(server.port);
  const seated = event === 'breakfast-ii';
  if (!seated && event !== 'open-air') throw new Error(`--event is breakfast-ii (seated) or open-air (GA), not ${event}`);
  const seats = seated ? await availableSeats(setup) : null;
  await setup.close();

  // Each client gets its own seats (round robin), so holds do not collide
  // and every hold is a granted one-seat hold; with more clients than seats
  // they would share, and the 409s are counted. On the GA event (500
  // places) every client holds one place at a time.
  const holders = [];
  for (let c = 0; c < clients; ++c) {
    const own = seated ? seats.filter((_, s) => s % clients === c % seats.length) : null;
    const http = connection(server.port);
    const cart = await newCart(http);
    if (!cart) throw new Error(`client ${c} could not get a cart`);
    holders.push({ http, own, cart });
  }
  const readerConnections = [];
  for (let r = 0; r < readers; ++r) {
    const http = connection(server.port);
    await exchange(http, 'GET', '/api/v1/events'); // connect now, not inside the window
    readerConnections.push(http);
  }

  const warmupMs = 1000;
  window.start = nowNs() + BigInt(warmupMs) * 1_000_000n;
  window.end = window.start + BigInt(Math.round(seconds * 1e9));
  let cpuBefore; let cpuAfter; let ownBefore = 0; let ownCpu = 0;
  setTimeout(() => {
    cpuBefore = threadCpuSeconds(server.pid, databases.postgresPort);
    ownBefore = ownCpuSeconds();
  }, warmupMs);
  setTimeout(() => {
    cpuAfter = threadCpuSeconds(server.pid, databases.postgresPort);
    ownCpu = ownCpuSeconds() - ownBefore;
  }, warmupMs + seconds * 1000);
  // Requests sent before the end still finish (releases must go out).
  await Promise.all([
    ...holders.map(({ http, own, cart }) => holder(http, own, cart)),
    ...readerConnections.map(reader),
  ]);
  while (!cpuAfter) await new Promise((resolve) => setTimeout(resolve, 10));
  await Promise.all([...holders.map(({ http }) => http.close()), ...readerConnections.map((http) => http.close())]);

  const holdsPerSecond = tally.granted / seconds;
  // A pair is a granted hold and its release, both sent inside the window.
  const pairsPerSecond = tally.released / seconds;
  const serverCpu = cpuShare(cpuBefore, cpuAfter, seconds);
  const clientCpu = (ownCpu / seconds) * 100;
  console.log(`${name} on ${label}, ${seconds} s measured after 1 s warm-up:`);
  if (clients > 0) {
    console.log(`  holds granted ${tally.granted} (${holdsPerSecond.toFixed(0)}/s), refused ${tally.refused}, released ${tally.released} (${(tally.released / seconds).toFixed(0)}/s), other ${tally.other}`);
    console.log(`  hold latency    ${tally.hold.summary()}`);
    console.log(`  release latency ${tally.release.summary()}`);
  }
  if (readers > 0) console.log(`  snapshot GET    ${tally.read.summary()}, ${(tally.reads / seconds).toFixed(0)}/s`);
  console.log(`  CPU: server ${serverCpu}; this client ${clientCpu.toFixed(0)}%`);
  const p5099 = (samples) => `${samples.percentileMs(50).toFixed(2)} / ${samples.percentileMs(99).toFixed(2)}`;
  if (clients > 0) {
    row(name, label, 'hold+release pairs/s (holds granted/s)', `${pairsPerSecond.toFixed(0)} (${holdsPerSecond.toFixed(0)})`);
    row(name, label, 'hold p50/p99 ms', p5099(tally.hold));
    row(name, label, 'release p50/p99 ms', p5099(tally.release));
  }
  if (readers > 0) row(name, label, 'snapshot GET p50/p99 ms (GET/s)', `${p5099(tally.read)} (${(tally.reads / seconds).toFixed(0)})`);
  row(name, label, 'CPU (server threads; client)', `${serverCpu}; client ${clientCpu.toFixed(0)}%`);
  if (tally.other > 0) {
    row(name, label, 'unexpected answers', String(tally.other));
    exitCode = 1;
  } else if (options.key && clients > 0) {
    figure(options.key, pairsPerSecond);
  }
} catch (error) {
  console.error(`${name}: ${error.stack ?? error}`);
  if (server?.output) console.error(`server output:\n${server.output}`);
  exitCode = 1;
} finally {
  if (server) await stopServer(server);
  databases.stop();
}
process.exit(exitCode);
