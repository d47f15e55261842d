// Fan-out latency and idle-connection memory: N WebSocket subscribers (ws),
// spread over worker threads, then one change at a time; for every change,
// the time from sending its HTTP request to each subscriber receiving it.
//   --target marquee (default): subscribers on breakfast-ii of the real
//     marquee-server, changes are single-seat holds through the HTTP API.
//   --target ws: the reference, a bare Node `ws` server (wsserver.mjs, its own
//     process) with the same subscribers, sent the same messages: a real
//     snapshot and `seats` message taken from marquee-server first, and per
//     change a POST that it broadcasts to every subscriber before answering.
// Usage: node fanout.mjs [--subscribers 0,1000,5000] [--holds 50] [--threads 2]
//                        [--target marquee|ws] [--backend sqlite|postgresql]
//                        [--sqlite-dir DIR]
import { spawn } from 'node:child_process';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import {
  BenchDatabases, Samples, availableSeats, connection, cpuShare, exchange, figure, newCart, nowNs,
  openFileLimit, ownCpuSeconds, parseArgs, reportedPort, row, rssKiB, sleep, startServer, stopServer,
  threadCpuSeconds, waitFor,
} from './common.mjs';
import { parseMetrics } from './prometheus.mjs';

// The server's listen backlog is Qt's default of 50: opening thousands of
// connections at once overflows it and the kernel retries SYNs only after a
// second or more. A few dozen handshakes in flight per thread is plenty.
const MaxConnecting = 24;
const Channel = '/events/breakfast-ii/messages';

/**
 * A worker: opens its share of subscribers, counts them ready (first
 * message, the snapshot) and every later message as delivered (shared
 * counters), and only time-stamps and keeps the text on receipt; decoding
 * and matching happen in the main thread after the run.
 */
function subscriberWorker() {
  const { port, count, counters } = workerData;
  const shared = new Int32Array(counters); // [ready, failed, delivered]
  const log = []; // [ns as Number, text]
  const sockets = [];
  let opened = 0;
  let connecting = 0;
  const connectMore = () => {
    while (connecting < MaxConnecting && opened < count) {
      ++opened;
      ++connecting;
      const socket = new WebSocket(`ws://127.0.0.1:${port}${Channel}`, {
        perMessageDeflate: false,
        skipUTF8Validation: true, // the text is parsed as JSON after the run anyway
      });
      sockets.push(socket);
      let gotSnapshot = false;
      let dead = false;
      const fail = () => {
        if (dead) return;
        dead = true;
        Atomics.add(shared, 1, 1);
        if (!gotSnapshot) { --connecting; connectMore(); }
      };
      socket.on('message', (data) => {
        const ns = Number(process.hrtime.bigint());
        if (!gotSnapshot) {
          gotSnapshot = true;
          --connecting;
          Atomics.add(shared, 0, 1);
          connectMore();
          return;
        }
        log.push(ns, data);
        Atomics.add(shared, 2, 1);
      });
      socket.on('error', fail);
      socket.on('close', () => { if (!stopping) fail(); });
    }
  };
  let stopping = false;
  parentPort.on('message', (command) => {
    if (command !== 'stop') return;
    stopping = true;
    for (const socket of sockets) socket.terminate();
    const texts = [];
    const times = [];
    for (let i = 0; i < log.length; i += 2) { times.push(log[i]); texts.push(log[i + 1].toString()); }
    parentPort.postMessage({ times, texts });
  });
  connectMore();
}

/**
 * A real snapshot and a real `seats` message of breakfast-ii, from a
 * marquee-server on a fresh SQLite demo database: one subscriber, one hold.
 * The seat's label in the update is replaced per change (changeFor()).
 */
async function realMessages() {
  const databases = new BenchDatabases('sqlite');
  let server;
  let socket;
  try {
    await databases.start();
    server = await startServer(databases.fresh());
    const http = connection(server.port);
    const [seat] = await availableSeats(http);
    const messages = [];
    socket = new WebSocket(`ws://127.0.0.1:${server.port}${Channel}`, { perMessageDeflate: false });
    socket.on('message', (data) => messages.push(data.toString()));
    if (!(await waitFor(() => messages.length >= 1, 10_000))) throw new Error('no snapshot from marquee-server');
    const cart = await newCart(http);
    const answer = await exchange(http, 'POST', `/api/v1/carts/${cart.cart}/holds`, {
      token: cart.token, body: `{"event":"breakfast-ii","seats":["${seat}"]}`,
    });
    if (answer.status !== 201) throw new Error(`hold ${seat}: ${answer.status} ${answer.body}`);
    if (!(await waitFor(() => messages.length >= 2, 10_000))) throw new Error('no seats message from marquee-server');
    await http.close();
    const update = messages[1];
    if (JSON.parse(update).type !== 'seats' || !update.includes(`"${seat}":"held"`)) {
      throw new Error(`unexpected update from marquee-server: ${update}`);
    }
    return { snapshot: messages[0], changeFor: (label) => update.replace(`"${seat}":"held"`, `"${label}":"held"`) };
  } finally {
    socket?.terminate();
    if (server) await stopServer(server);
    databases.stop();
  }
}

const FanOutHistogram = 'marquee_channel_fanout_duration_seconds';

/** The server's own fan-out histogram: {count, sum (s), buckets: [[le, cumulative]]}. */
async function serverFanOut(http) {
  const answer = await exchange(http, 'GET', '/metrics');
  if (answer.status !== 200) throw new Error(`/metrics: ${answer.status}`);
  const metrics = parseMetrics(answer.body);
  const buckets = metrics.samples.filter((s) => s.name === `${FanOutHistogram}_bucket`)
    .map((s) => [s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), s.value]);
  return { count: metrics.value(`${FanOutHistogram}_count`), sum: metrics.value(`${FanOutHistogram}_sum`), buckets };
}

/**
 * What the server itself spent per change between the commit and handing
 * the last frame to the kernel, from two scrapes: the mean, and the
 * smallest bucket bound that holds 99 % of the changes.
 */
function fanOutBetween(before, after) {
  const count = after.count - before.count;
  if (count <= 0) return null;
  const meanMs = ((after.sum - before.sum) / count) * 1000;
  const p99 = after.buckets.find(([le], i) => after.buckets[i][1] - before.buckets[i][1] >= 0.99 * count);
  return { count, meanMs, p99BoundMs: p99 ? p99[0] * 1000 : Infinity };
}

/** wsserver.mjs as a child process; resolves to {child, pid, port, output}. */
function startWsServer(snapshot) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./wsserver.mjs', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(snapshot);
  return reportedPort(child, 'wsserver.mjs', /^listening (\d+)$/m, 10_000);
}

async function runOnce({ subscribers, holds, threads, target, backend, sqliteDir, label }) {
  const marquee = target === 'marquee';
  const databases = marquee ? new BenchDatabases(backend, sqliteDir) : null;
  let server;
  const workers = [];
  const name = `fan-out ${subscribers} subs`;
  try {
    // Each subscriber is a descriptor here and one in the server.
    if (openFileLimit() < subscribers + 200) {
      throw new Error(`the open-file limit is ${openFileLimit()}; ${subscribers} subscribers need ${subscribers + 200} (ulimit -n)`);
    }
    let http;
    let seats;
    let change; // (i) => {sentNs, latencyNs}: the i-th change, its HTTP request and answer
    if (marquee) {
      await databases.start();
      server = await startServer(databases.fresh());
      http = connection(server.port);
      seats = await availableSeats(http);
      change = async (i) => {
        // A cart takes 10 live holds; a fresh cart per hold keeps it simple.
        const cart = await newCart(http);
        if (!cart) throw new Error('could not create a cart');
        const answer = await exchange(http, 'POST', `/api/v1/carts/${cart.cart}/holds`, {
          token: cart.token, body: `{"event":"breakfast-ii","seats":["${seats[i]}"]}`,
        });
        if (answer.status !== 201) throw new Error(`hold ${seats[i]}: ${answer.status} ${answer.body}`);
        return answer;
      };
    } else {
      const messages = await realMessages();
      server = await startWsServer(messages.snapshot);
      http = connection(server.port);
      // The same labels as the Marquee run, so the messages match in size.
      seats = JSON.parse(messages.snapshot).seats;
      seats = Object.keys(seats).filter((seat) => seats[seat] === 'available');
      change = async (i) => {
        const answer = await exchange(http, 'POST', '/broadcast', { body: messages.changeFor(seats[i]) });
        if (answer.status !== 201) throw new Error(`broadcast: ${answer.status} ${answer.body}`);
        return answer;
      };
    }
    if (seats.length < holds) throw new Error(`only ${seats.length} seats available for ${holds} holds`);
    // A request first, so that the server's lazily made structures exist
    // before the baseline (Marquee: the snapshot GET above).
    await exchange(http, 'GET', marquee ? '/api/v1/events' : '/');
    await sleep(500);
    const rssBefore = rssKiB(server.pid);

    const counters = new SharedArrayBuffer(12);
    const shared = new Int32Array(counters);
    const ready = () => Atomics.load(shared, 0);
    const failed = () => Atomics.load(shared, 1);
    const delivered = () => Atomics.load(shared, 2);
    const connectStart = nowNs();
    for (let i = 0; i < threads && subscribers > 0; ++i) {
      const count = Math.floor(subscribers / threads) + (i < subscribers % threads ? 1 : 0);
      const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { port: server.port, count, counters } });
      worker.on('error', (error) => { console.error(`worker: ${error.stack ?? error}`); Atomics.add(shared, 1, count); });
      workers.push(worker);
    }
    const allReady = await waitFor(() => ready() + failed() >= subscribers, 300_000);
    const connectSeconds = Number(nowNs() - connectStart) / 1e9;
    console.log(`${subscribers} subscribers: ${ready()} ready, ${failed()} failed, in ${connectSeconds.toFixed(1)} s`);
    if (!allReady || ready() < subscribers) {
      console.error(`not every subscriber connected; server output:\n${server.output}`);
      row(name, label, 'connected', `${ready()} of ${subscribers}`);
      return false;
    }
    // Idle: every subscriber has its snapshot and nothing else is sent.
    await sleep(1000);
    const rssAfter = rssKiB(server.pid);
    const perConnection = subscribers > 0 ? (rssAfter - rssBefore) / subscribers : NaN;

    // One change at a time: the next starts only when every subscriber has the
    // previous one, so each delivery measures one fan-out, not a queue.
    const sentNs = [];
    const holdOfSeat = new Map();
    const answers = new Samples();
    let timeouts = 0;
    const fanOutBefore = marquee ? await serverFanOut(http) : null;
    const cpuBefore = threadCpuSeconds(server.pid, databases?.postgresPort ?? 0);
    const ownBefore = ownCpuSeconds();
    const holdsStart = nowNs();
    for (let i = 0; i < holds; ++i) {
      holdOfSeat.set(seats[i], i);
      const expected = delivered() + subscribers;
      const answer = await change(i);
      sentNs.push(Number(answer.sentNs));
      answers.add(answer.latencyNs);
      if (!(await waitFor(() => delivered() >= expected, 20_000))) ++timeouts;
    }
    const holdSeconds = Number(nowNs() - holdsStart) / 1e9;
    const cpuAfter = threadCpuSeconds(server.pid, databases?.postgresPort ?? 0);
    const clientCpu = ((ownCpuSeconds() - ownBefore) / holdSeconds) * 100;
    const ownFanOut = marquee ? fanOutBetween(fanOutBefore, await serverFanOut(http)) : null;
    await http.close();

    const latency = new Samples();
    const last = new Array(holds).fill(-1); // per change: its slowest delivery
    const reached = new Array(holds).fill(0);
    let unmatched = 0;
    const logs = await Promise.all(workers.map((worker) => new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage('stop');
    })));
    for (const { times, texts } of logs) {
      for (let d = 0; d < texts.length; ++d) {
        let matched = false;
        try {
          const message = JSON.parse(texts[d]);
          if (message.type === 'seats') {
            for (const [seat, state] of Object.entries(message.seats ?? {})) {
              const hold = holdOfSeat.get(seat);
              if (hold !== undefined && state === 'held') {
                const ns = times[d] - sentNs[hold];
                latency.add(ns);
                last[hold] = Math.max(last[hold], ns);
                ++reached[hold];
                matched = true;
              }
            }
          }
        } catch { /* not JSON: unmatched */ }
        if (!matched) ++unmatched;
      }
    }
    // The last subscriber of a change counts only when every subscriber got it.
    const lastSubscriber = new Samples();
    for (let i = 0; i < holds; ++i) if (reached[i] === subscribers && subscribers > 0) lastSubscriber.add(last[i]);
    const expectedDeliveries = subscribers * holds;
    const complete = latency.count === expectedDeliveries;
    const share = cpuShare(cpuBefore, cpuAfter, holdSeconds);
    const what = marquee ? 'holds' : 'broadcasts';
    console.log(`fan-out to ${subscribers} subscribers (${threads} client threads), ${holds} ${what}, ${label}:`);
    if (subscribers > 0) {
      console.log(`  delivery (HTTP request sent -> update received): ${latency.summary()}`);
      console.log(`  last subscriber of each change:                  ${lastSubscriber.summary()}`);
    }
    console.log(`  HTTP answer to the ${marquee ? 'hold' : 'broadcast'}:${marquee ? '      ' : ' '}                   ${answers.summary()}`);
    console.log(`  deliveries ${latency.count} of ${expectedDeliveries} expected, ${unmatched} unmatched messages, ${timeouts} changes timed out`);
    if (subscribers > 0) {
      console.log(`  server RSS ${rssBefore} KiB before, ${rssAfter} KiB with ${subscribers} idle subscribers: ${perConnection.toFixed(1)} KiB each`);
    }
    if (ownFanOut) {
      console.log(`  the server's own fan-out (commit -> last frame to the kernel), ${ownFanOut.count} changes: mean ${ownFanOut.meanMs.toFixed(1)} ms, 99 % within ${ownFanOut.p99BoundMs} ms`);
    }
    console.log(`  CPU during the ${what} (${holdSeconds.toFixed(1)} s): server ${share}; client ${clientCpu.toFixed(0)}%`);
    const f1 = (samples, p) => samples.percentileMs(p).toFixed(1);
    if (subscribers > 0) {
      row(name, label, 'delivery p50/p95/p99/max ms', [50, 95, 99, 100].map((p) => f1(latency, p)).join(' / '));
      row(name, label, `last subscriber p50/p99 ms (${lastSubscriber.count} changes)`, `${f1(lastSubscriber, 50)} / ${f1(lastSubscriber, 99)}`);
      row(name, label, 'server RSS growth per idle subscriber KiB', `${perConnection.toFixed(1)} (${rssBefore} → ${rssAfter} KiB)`);
    }
    row(name, label, `${marquee ? 'hold' : 'broadcast'} HTTP answer p50/p99 ms`, `${f1(answers, 50)} / ${f1(answers, 99)}`);
    if (ownFanOut && subscribers > 0) {
      row(name, label, "server's own fan-out, commit → last frame to the kernel: mean ms; 99 % within",
        `${ownFanOut.meanMs.toFixed(1)}; ${ownFanOut.p99BoundMs} ms`);
    }
    row(name, label, 'deliveries / connect time', `${latency.count} of ${expectedDeliveries} / ${connectSeconds.toFixed(1)} s`);
    row(name, label, `CPU during ${what} (server threads; client)`, `${share}; client ${clientCpu.toFixed(0)}%`);
    if (complete && subscribers > 0) {
      const key = marquee ? `marquee.${label}` : 'ws';
      figure(`fanout.last_p99.${key}.${subscribers}`, lastSubscriber.percentileMs(99));
      figure(`fanout.all_p99.${key}.${subscribers}`, latency.percentileMs(99));
      figure(`rss.${key}.${subscribers}`, perConnection);
    }
    return complete;
  } catch (error) {
    console.error(`fan-out ${subscribers} (${label}): ${error.stack ?? error}`);
    if (server?.output) console.error(`server output:\n${server.output}`);
    return false;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
    if (server?.child && marquee) await stopServer(server);
    else if (server?.child) server.child.kill('SIGKILL');
    databases?.stop();
  }
}

if (isMainThread) {
  const options = parseArgs({
    subscribers: '1000,5000', holds: '50', threads: '2', target: 'marquee', backend: 'sqlite', 'sqlite-dir': '',
  });
  const target = options.target;
  if (target !== 'marquee' && target !== 'ws') {
    console.error(`--target is marquee or ws, not ${target}`);
    process.exit(2);
  }
  const label = target === 'ws' ? 'bare ws' : options['sqlite-dir'] ? `${options.backend} in ${options['sqlite-dir']}` : options.backend;
  let ok = true;
  for (const count of options.subscribers.split(',')) {
    ok = (await runOnce({
      subscribers: Number(count), holds: Number(options.holds), threads: Math.max(1, Number(options.threads)),
      target, backend: options.backend, sqliteDir: options['sqlite-dir'], label,
    })) && ok;
  }
  process.exit(ok ? 0 : 1);
} else {
  subscriberWorker();
}
