// Fan-out latency: N WebSocket subscribers (ws) on breakfast-ii, spread over
// worker threads, then single-seat holds through the HTTP API one at a time;
// for every hold, the time from sending the HTTP request to each subscriber
// receiving the matching `seats` update.
// Usage: node fanout.mjs [--subscribers 0,1000,5000] [--holds 50] [--threads 2]
//                        [--backend sqlite|postgresql] [--sqlite-dir DIR]
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import {
  BenchDatabases, Samples, availableSeats, connection, cpuShare, exchange, newCart, nowNs,
  ownCpuSeconds, parseArgs, row, startServer, stopServer, threadCpuSeconds,
} from './common.mjs';

// The server's listen backlog is Qt's default of 50: opening thousands of
// connections at once overflows it and the kernel retries SYNs only after a
// second or more. A few dozen handshakes in flight per thread is plenty.
const MaxConnecting = 24;

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
      const socket = new WebSocket(`ws://127.0.0.1:${port}/events/breakfast-ii/messages`, {
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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls \a done every millisecond until it holds or \a timeoutMs pass. */
async function waitFor(done, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(1);
  }
  return true;
}

async function runOnce(subscribers, holds, threads, backend, sqliteDir, label) {
  const databases = new BenchDatabases(backend, sqliteDir);
  let server;
  const workers = [];
  try {
    await databases.start();
    server = await startServer(databases.fresh());
    const http = connection(server.port);
    const seats = await availableSeats(http);
    if (seats.length < holds) throw new Error(`only ${seats.length} seats available for ${holds} holds`);

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
    const name = `fan-out ${subscribers} subs`;
    if (!allReady || ready() < subscribers) {
      console.error(`not every subscriber connected; server output:\n${server.output}`);
      row(name, label, 'connected', `${ready()} of ${subscribers}`);
      return false;
    }

    // One hold at a time: the next starts only when every subscriber has the
    // previous update, so each delivery measures one fan-out, not a queue.
    const sentNs = [];
    const holdOfSeat = new Map();
    const answers = new Samples();
    let timeouts = 0;
    const cpuBefore = threadCpuSeconds(server.pid, databases.postgresPort);
    const ownBefore = ownCpuSeconds();
    const holdsStart = nowNs();
    for (let i = 0; i < holds; ++i) {
      // A cart takes 10 live holds; a fresh cart per hold keeps it simple.
      const cart = await newCart(http);
      if (!cart) throw new Error('could not create a cart');
      holdOfSeat.set(seats[i], i);
      const expected = delivered() + subscribers;
      const answer = await exchange(http, 'POST', `/api/v1/carts/${cart.cart}/holds`, {
        token: cart.token, body: `{"event":"breakfast-ii","seats":["${seats[i]}"]}`,
      });
      if (answer.status !== 201) throw new Error(`hold ${seats[i]}: ${answer.status} ${answer.body}`);
      sentNs.push(Number(answer.sentNs));
      answers.add(answer.latencyNs);
      if (!(await waitFor(() => delivered() >= expected, 20_000))) ++timeouts;
    }
    const holdSeconds = Number(nowNs() - holdsStart) / 1e9;
    const cpuAfter = threadCpuSeconds(server.pid, databases.postgresPort);
    const clientCpu = ((ownCpuSeconds() - ownBefore) / holdSeconds) * 100;
    await http.close();

    const latency = new Samples();
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
                latency.add(times[d] - sentNs[hold]);
                matched = true;
              }
            }
          }
        } catch { /* not JSON: unmatched */ }
        if (!matched) ++unmatched;
      }
    }
    const expectedDeliveries = subscribers * holds;
    const share = cpuShare(cpuBefore, cpuAfter, holdSeconds);
    console.log(`fan-out to ${subscribers} subscribers (${threads} client threads), ${holds} holds:`);
    console.log(`  delivery (HTTP request sent -> update received): ${latency.summary()}`);
    console.log(`  HTTP answer to the hold:                         ${answers.summary()}`);
    console.log(`  deliveries ${latency.count} of ${expectedDeliveries} expected, ${unmatched} unmatched messages, ${timeouts} holds timed out`);
    console.log(`  CPU during the holds (${holdSeconds.toFixed(1)} s): server ${share}; client ${clientCpu.toFixed(0)}%`);
    const f1 = (samples, p) => samples.percentileMs(p).toFixed(1);
    if (subscribers > 0) {
      row(name, label, 'delivery p50/p95/p99/max ms', [50, 95, 99, 100].map((p) => f1(latency, p)).join(' / '));
    }
    row(name, label, 'hold HTTP answer p50/p99 ms', `${f1(answers, 50)} / ${f1(answers, 99)}`);
    row(name, label, 'deliveries / connect time', `${latency.count} of ${expectedDeliveries} / ${connectSeconds.toFixed(1)} s`);
    row(name, label, 'CPU during holds (server threads; client)', `${share}; client ${clientCpu.toFixed(0)}%`);
    return latency.count === expectedDeliveries;
  } catch (error) {
    console.error(`fan-out ${subscribers}: ${error.stack ?? error}`);
    if (server?.output) console.error(`server output:\n${server.output}`);
    return false;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
    if (server) await stopServer(server);
    databases.stop();
  }
}

if (isMainThread) {
  const options = parseArgs({ subscribers: '1000,5000', holds: '50', threads: '2', backend: 'sqlite', 'sqlite-dir': '' });
  const label = options['sqlite-dir'] ? `${options.backend} in ${options['sqlite-dir']}` : options.backend;
  let ok = true;
  for (const count of options.subscribers.split(',')) {
    ok = (await runOnce(Number(count), Number(options.holds), Math.max(1, Number(options.threads)),
      options.backend, options['sqlite-dir'], label)) && ok;
  }
  process.exit(ok ? 0 : 1);
} else {
  subscriberWorker();
}
