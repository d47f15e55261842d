// Connections held: N WebSocket subscribers (ws, over worker threads) on
// breakfast-ii of the real marquee-server for a while, with one hold and its
// release every second so changes keep flowing. Checks that none is dropped,
// that every server ping is answered (the server drops a subscriber that
// has not answered the last one, so a drop would show it), that every ping
// a subscriber sends is answered within 10 s, and that every subscriber
// got every change. Reports the server's memory and CPU over the run, the
// client's CPU next to it.
// Usage: node soak.mjs [--subscribers 10000] [--minutes 10] [--backend sqlite|postgresql]
//                      [--client-ping-seconds 60] [--threads 2]
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import {
  BenchDatabases, availableSeats, connection, cpuShare, exchange, figure, newCart, openFileLimit,
  ownCpuSeconds, parseArgs, row, rssKiB, sleep, startServer, stopServer, threadCpuSeconds, waitFor,
} from './common.mjs';

const MaxConnecting = 24; // per thread: the server's listen backlog is 50 (fanout.mjs)
const Channel = '/events/breakfast-ii/messages';
const PongDeadlineMs = 10_000;
// Shared counters between the workers and the main thread.
const Ready = 0; const Closed = 1; const Messages = 2; const ServerPings = 3; const ClientPings = 4;
const Pongs = 5; const LatePongs = 6;

/** A worker: opens its share of subscribers and keeps them, pinging now and then. */
function subscriberWorker() {
  const { port, count, clientPingMs, counters } = workerData;
  const shared = new Int32Array(counters);
  const subscribers = [];
  let opened = 0;
  let connecting = 0;
  let stopping = false;
  const connectMore = () => {
    while (connecting < MaxConnecting && opened < count) {
      ++opened;
      ++connecting;
      const socket = new WebSocket(`ws://127.0.0.1:${port}${Channel}`, { perMessageDeflate: false });
      const subscriber = { socket, messages: 0, pingSentAt: 0, timer: null };
      subscribers.push(subscriber);
      socket.on('message', () => {
        if (subscriber.messages++ === 0) {
          --connecting;
          Atomics.add(shared, Ready, 1);
          connectMore();
          // Spread over the interval, so the pings do not come in waves.
          subscriber.timer = setTimeout(() => ping(subscriber), Math.random() * clientPingMs);
        }
        Atomics.add(shared, Messages, 1);
      });
      socket.on('ping', () => Atomics.add(shared, ServerPings, 1)); // ws answers it itself
      socket.on('pong', () => {
        if (!subscriber.pingSentAt) return;
        const late = Date.now() - subscriber.pingSentAt > PongDeadlineMs;
        Atomics.add(shared, late ? LatePongs : Pongs, 1);
        subscriber.pingSentAt = 0;
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        clearTimeout(subscriber.timer);
        if (!stopping) Atomics.add(shared, Closed, 1);
        if (subscriber.messages === 0) { --connecting; connectMore(); }
      });
    }
  };
  const ping = (subscriber) => {
    if (stopping || subscriber.socket.readyState !== WebSocket.OPEN) return;
    if (subscriber.pingSentAt) Atomics.add(shared, LatePongs, 1); // the last one was never answered
    subscriber.pingSentAt = Date.now();
    Atomics.add(shared, ClientPings, 1);
    subscriber.socket.ping();
    subscriber.timer = setTimeout(() => ping(subscriber), clientPingMs);
  };
  parentPort.on('message', (command) => {
    if (command !== 'stop') return;
    stopping = true;
    let unanswered = 0;
    const received = subscribers.map((s) => s.messages);
    for (const subscriber of subscribers) {
      clearTimeout(subscriber.timer);
      if (subscriber.pingSentAt && Date.now() - subscriber.pingSentAt > PongDeadlineMs) ++unanswered;
      subscriber.socket.terminate();
    }
    parentPort.postMessage({ fewest: Math.min(...received), most: Math.max(...received), unanswered });
  });
  connectMore();
}

/** One hold and its release per second on a seat nobody watches for, until \a until. */
async function changeLoop(port, until) {
  const http = connection(port);
  const cart = await newCart(http);
  const [seat] = await availableSeats(http);
  let changes = 0;
  while (Date.now() < until) {
    const next = Date.now() + 1_000;
    const held = await exchange(http, 'POST', `/api/v1/carts/${cart.cart}/holds`, {
      token: cart.token, body: `{"event":"breakfast-ii","seats":["${seat}"]}`,
    });
    if (held.status !== 201) throw new Error(`hold ${seat}: ${held.status} ${held.body}`);
    const hold = JSON.parse(held.body).hold;
    const released = await exchange(http, 'DELETE', `/api/v1/carts/${cart.cart}/holds/${hold}`, { token: cart.token });
    if (released.status !== 204) throw new Error(`release ${hold}: ${released.status} ${released.body}`);
    changes += 2;
    await sleep(Math.max(0, next - Date.now()));
  }
  await http.close();
  return changes;
}

async function main() {
  const options = parseArgs({
    subscribers: '10000', minutes: '10', backend: 'sqlite', 'client-ping-seconds': '60', threads: '2',
  });
  const total = Number(options.subscribers);
  const minutes = Number(options.minutes);
  const limit = openFileLimit();
  if (limit < total + 200) throw new Error(`open-file limit ${limit} is too low for ${total} subscribers (ulimit -n)`);
  const name = `${total.toLocaleString('en-US')} connections held ${minutes} min`;
  const databases = new BenchDatabases(options.backend);
  let server;
  const workers = [];
  try {
    await databases.start();
    server = await startServer(databases.fresh());
    const rssBefore = rssKiB(server.pid);
    const counters = new SharedArrayBuffer(8 * 4);
    const shared = new Int32Array(counters);
    const threads = Math.max(1, Math.min(Number(options.threads), total));
    for (let i = 0; i < threads; ++i) {
      const count = Math.floor(total / threads) + (i < total % threads ? 1 : 0);
      workers.push(new Worker(fileURLToPath(import.meta.url), {
        workerData: { port: server.port, count, clientPingMs: Number(options['client-ping-seconds']) * 1000, counters },
      }));
    }
    if (!(await waitFor(() => Atomics.load(shared, Ready) + Atomics.load(shared, Closed) >= total, 120_000, 20))
        || Atomics.load(shared, Ready) < total) {
      throw new Error(`only ${Atomics.load(shared, Ready)} of ${total} subscribers got their snapshot`);
    }
    const rssOpen = rssKiB(server.pid);
    const cpuBefore = threadCpuSeconds(server.pid, databases.postgresPort);
    const ownBefore = ownCpuSeconds();
    const started = Date.now();
    const progress = setInterval(() => console.error(`${((Date.now() - started) / 60_000).toFixed(1)} min:`
      + ` open ${Atomics.load(shared, Ready) - Atomics.load(shared, Closed)}, server pings ${Atomics.load(shared, ServerPings)},`
      + ` client pings ${Atomics.load(shared, ClientPings)}, pongs ${Atomics.load(shared, Pongs)}`), 60_000);
    const changes = await changeLoop(server.port, started + minutes * 60_000);
    clearInterval(progress);
    // The last change reaches everyone before the count is taken.
    await waitFor(() => Atomics.load(shared, Messages) >= total * (1 + changes), 10_000, 20);
    const wall = (Date.now() - started) / 1000;
    const cpuAfter = threadCpuSeconds(server.pid, databases.postgresPort);
    const ownShare = ((ownCpuSeconds() - ownBefore) / wall) * 100;
    const rssEnd = rssKiB(server.pid);
    const closed = Atomics.load(shared, Closed);
    const results = await Promise.all(workers.map((worker) => new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage('stop');
    })));
    const fewest = Math.min(...results.map((r) => r.fewest)) - 1; // less the snapshot
    const most = Math.max(...results.map((r) => r.most)) - 1;
    const unanswered = results.reduce((sum, r) => sum + r.unanswered, 0) + Atomics.load(shared, LatePongs);
    const serverPings = Atomics.load(shared, ServerPings);

    console.log(`${name} on ${options.backend}: ${closed} dropped; ${serverPings} server pings answered`
      + ` (${(serverPings / total).toFixed(1)} each); ${Atomics.load(shared, Pongs)} of`
      + ` ${Atomics.load(shared, ClientPings)} client pings answered in time; changes received ${fewest}-${most} of ${changes};`
      + ` RSS ${rssBefore} -> ${rssOpen} -> ${rssEnd} KiB`);
    row(name, options.backend, 'subscribers dropped', `${closed} of ${total}`);
    row(name, options.backend, 'server pings (answered by ws)', `${serverPings} (${(serverPings / total).toFixed(1)} per subscriber)`);
    row(name, options.backend, 'client pings answered in 10 s', `${Atomics.load(shared, Pongs)} of ${Atomics.load(shared, ClientPings)}, ${unanswered} late or never`);
    row(name, options.backend, 'changes each subscriber received', `${fewest}-${most} of ${changes}`);
    row(name, options.backend, 'server RSS: start / all open / end (KiB)', `${rssBefore} / ${rssOpen} / ${rssEnd}`);
    row(name, options.backend, 'CPU: server threads / client', `${cpuShare(cpuBefore, cpuAfter, wall) || 'under 1%'} / client ${ownShare.toFixed(0)}%`);
    figure(`soak.dropped.${options.backend}.${total}`, closed);
    figure(`soak.unanswered.${options.backend}.${total}`, unanswered);
    figure(`soak.missed.${options.backend}.${total}`, changes - fewest);
    figure(`soak.minutes.${options.backend}.${total}`, wall / 60);
    if (closed > 0 || unanswered > 0 || fewest !== changes || most !== changes) process.exitCode = 1;
  } finally {
    for (const worker of workers) await worker.terminate();
    if (server) await stopServer(server);
    databases.stop();
  }
}

if (isMainThread) {
  main().catch((error) => {
    console.error(`soak: ${error.stack ?? error}`);
    process.exit(1);
  });
} else {
  subscriberWorker();
}
