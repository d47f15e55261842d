// Three marquee-servers on one PostgreSQL database (servers hear each other
// through LISTEN/NOTIFY, CHECKOUT.md "Several servers on one PostgreSQL").
//   Part 1, fan-out across servers: N WebSocket subscribers on breakfast-ii
//     per server (ws, spread over worker threads as in fanout.mjs), then
//     single-seat holds one at a time, sent to the servers in turn. Per
//     change and subscriber: the time from sending the hold's HTTP request to
//     the subscriber receiving the `seats` update with that seat, for the
//     subscribers of the other servers (the figure with a target) and, for
//     reference, of the server that made the hold. Every subscriber must get
//     every change, in version order, without a gap or a second snapshot.
//   Part 2, throughput: hold+release pairs/s with 50 clients (holds.mjs's
//     load: seated, each client its own seats of breakfast-ii; GA quantity 1
//     on open-air), against one server alone, then against three servers on
//     one database with the clients spread evenly; each on a fresh database.
// Usage: node cluster.mjs [--subscribers 1000] [--holds 100] [--seconds 10]
//                         [--clients 50] [--threads 2] [--parts fanout,pairs]
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import {
  BenchDatabases, Samples, availableSeats, connection, cpuShare, exchange, figure, newCart, nowNs,
  openFileLimit, ownCpuSeconds, parseArgs, row, sleep, startServer, stopServer, threadCpuSeconds, waitFor,
} from './common.mjs';

const Servers = 3;
// As fanout.mjs: Qt's listen backlog is 50, so a few dozen handshakes in
// flight per worker thread (over all servers) and no more.
const MaxConnecting = 24;
const Channel = '/events/breakfast-ii/messages';
const Backend = 'postgresql';

/**
 * A worker: opens its share of subscribers on each server (round robin over
 * the servers), counts them ready at their snapshot and every later message
 * as delivered (shared counters), and only time-stamps and keeps the text on
 * receipt; decoding, matching and the order checks happen in the main thread
 * after the run. Counters: [ready, failed before the snapshot, delivered,
 * dropped after the snapshot].
 */
function subscriberWorker() {
  const { targets, counters } = workerData; // targets: [{port, server, count}]
  const shared = new Int32Array(counters);
  const plan = []; // per subscriber of this worker: the index into targets
  const left = targets.map((target) => target.count);
  while (left.some((count) => count > 0)) {
    for (let t = 0; t < targets.length; ++t) if (left[t] > 0) { --left[t]; plan.push(t); }
  }
  const log = []; // [ns as Number, subscriber, data]
  const snapshots = new Array(plan.length).fill(null);
  const closes = []; // close codes of subscribers dropped after their snapshot
  const sockets = [];
  let opened = 0;
  let connecting = 0;
  let stopping = false;
  const connectMore = () => {
    while (connecting < MaxConnecting && opened < plan.length) {
      const subscriber = opened++;
      ++connecting;
      const socket = new WebSocket(`ws://127.0.0.1:${targets[plan[subscriber]].port}${Channel}`, {
        perMessageDeflate: false,
        skipUTF8Validation: true, // the text is parsed as JSON after the run anyway
      });
      sockets.push(socket);
      let dead = false;
      const fail = (code) => {
        if (dead || stopping) return;
        dead = true;
        if (snapshots[subscriber] === null) {
          Atomics.add(shared, 1, 1);
          --connecting;
          connectMore();
        } else {
          Atomics.add(shared, 3, 1);
          closes.push(code);
        }
      };
      socket.on('message', (data) => {
        const ns = Number(process.hrtime.bigint());
        if (snapshots[subscriber] === null) {
          snapshots[subscriber] = data;
          --connecting;
          Atomics.add(shared, 0, 1);
          connectMore();
          return;
        }
        log.push(ns, subscriber, data);
        Atomics.add(shared, 2, 1);
      });
      socket.on('error', () => fail('error'));
      socket.on('close', (code) => fail(code));
    }
  };
  parentPort.on('message', (command) => {
    if (command !== 'stop') return;
    stopping = true;
    for (const socket of sockets) socket.terminate();
    const times = [];
    const subscribers = [];
    const texts = [];
    for (let i = 0; i < log.length; i += 3) {
      times.push(log[i]);
      subscribers.push(log[i + 1]);
      texts.push(log[i + 2].toString());
    }
    const snapshotVersions = snapshots.map((data) => {
      const match = data && /"version":(\d+)/.exec(data.toString());
      return match ? Number(match[1]) : -1;
    });
    parentPort.postMessage({ servers: plan.map((t) => targets[t].server), snapshotVersions, times, subscribers, texts, closes });
  });
  connectMore();
}

/**
 * \a count servers on the database \a db, started at once as an operator's
 * service manager would (the first start seeds the demo; the others wait for
 * it under its lock, CHECKOUT.md).
 */
async function startCluster(db, count) {
  const servers = [];
  const others = await Promise.allSettled(Array.from({ length: count }, () => startServer(db)));
  for (const other of others) if (other.status === 'fulfilled') servers.push(other.value);
  const failed = others.find((other) => other.status === 'rejected');
  if (failed) {
    await Promise.all(servers.map(stopServer));
    throw failed.reason;
  }
  return servers;
}

/** Lines a server printed beyond its start-up banner (warnings, errors). */
function serverMessages(servers) {
  const banner = /^(Marquee server on |Web page: |Demo sign-in )/;
  const lines = [];
  servers.forEach((server, s) => {
    for (const line of server.output.split('\n')) if (line.trim() && !banner.test(line)) lines.push(`server ${s + 1}: ${line}`);
  });
  return lines;
}

/** CPU seconds so far: each server's threads, the cluster's postgres processes, this process. */
function cpuReading(servers, postgresPort) {
  return {
    servers: servers.map((server) => threadCpuSeconds(server.pid)),
    postgres: new Map([['postgres', threadCpuSeconds(servers[0].pid, postgresPort).get('postgres') ?? 0]]),
    own: ownCpuSeconds(),
  };
}

/** "server 1: socket 30%, storage 20%; server 2: …; postgres 60%; client 15%". */
function cpuText(before, after, seconds) {
  const parts = after.servers.map((reading, s) => `server ${s + 1}: ${cpuShare(before.servers[s], reading, seconds) || 'idle'}`);
  parts.push(cpuShare(before.postgres, after.postgres, seconds) || 'postgres 0%');
  parts.push(`client ${(((after.own - before.own) / seconds) * 100).toFixed(0)}%`);
  return parts.join('; ');
}

/** Deadlocks PostgreSQL detected in the last fresh() database (read after its servers stopped, so flushed). */
function deadlocks(databases) {
  try {
    return Number(databases.psql('SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()'));
  } catch { return NaN; }
}

// --- Part 1: fan-out across servers -----------------------------------------

async function fanout({ subscribers, holds, threads }) {
  const databases = new BenchDatabases(Backend);
  let servers = [];
  const workers = [];
  const total = subscribers * Servers;
  const name = `cluster fan-out ${Servers}×${subscribers} subs`;
  const label = `${Backend}, ${Servers} servers`;
  try {
    // Each subscriber is a descriptor here (and one in its server).
    if (openFileLimit() < total + 200) {
      throw new Error(`the open-file limit is ${openFileLimit()}; ${total} subscribers need ${total + 200} (ulimit -n)`);
    }
    await databases.start();
    servers = await startCluster(databases.fresh(), Servers);
    const http = servers.map((server) => connection(server.port));
    const seats = await availableSeats(http[0]);
    if (seats.length < holds) throw new Error(`only ${seats.length} seats available for ${holds} holds`);
    for (const client of http) await exchange(client, 'GET', '/api/v1/events'); // connected before the holds

    const counters = new SharedArrayBuffer(16);
    const shared = new Int32Array(counters);
    const ready = () => Atomics.load(shared, 0);
    const failed = () => Atomics.load(shared, 1);
    const delivered = () => Atomics.load(shared, 2);
    const dropped = () => Atomics.load(shared, 3);
    const connectStart = nowNs();
    for (let w = 0; w < threads && total > 0; ++w) {
      const share = (n) => Math.floor(n / threads) + (w < n % threads ? 1 : 0);
      const targets = servers.map((server, s) => ({ port: server.port, server: s, count: share(subscribers) }));
      const count = targets.reduce((sum, target) => sum + target.count, 0);
      const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { targets, counters } });
      worker.on('error', (error) => { console.error(`worker: ${error.stack ?? error}`); Atomics.add(shared, 1, count); });
      workers.push(worker);
    }
    const allReady = await waitFor(() => ready() + failed() >= total, 300_000);
    const connectSeconds = Number(nowNs() - connectStart) / 1e9;
    console.log(`${total} subscribers on ${Servers} servers: ${ready()} ready, ${failed()} failed, in ${connectSeconds.toFixed(1)} s`);
    if (!allReady || ready() < total) {
      console.error(`not every subscriber connected; server messages:\n${serverMessages(servers).join('\n')}`);
      row(name, label, 'connected', `${ready()} of ${total}`);
      return false;
    }
    await sleep(1000); // idle: every subscriber has its snapshot

    // One change at a time, to the servers in turn; the next starts only when
    // every live subscriber (of every server) has the previous one.
    const sentNs = [];
    const serverOfHold = [];
    const holdOfSeat = new Map();
    const answers = new Samples();
    let timeouts = 0;
    const cpuBefore = cpuReading(servers, databases.postgresPort);
    const holdsStart = nowNs();
    for (let i = 0; i < holds && timeouts < 3; ++i) {
      const s = i % Servers;
      // A cart takes 10 live holds; a fresh cart per hold keeps it simple.
      const cart = await newCart(http[s]);
      if (!cart) throw new Error(`server ${s + 1} could not create a cart`);
      holdOfSeat.set(seats[i], i);
      serverOfHold.push(s);
      const droppedBefore = dropped();
      const expected = delivered() + ready() - droppedBefore;
      const answer = await exchange(http[s], 'POST', `/api/v1/carts/${cart.cart}/holds`, {
        token: cart.token, body: `{"event":"breakfast-ii","seats":["${seats[i]}"]}`,
      });
      if (answer.status !== 201) throw new Error(`hold ${seats[i]} on server ${s + 1}: ${answer.status} ${answer.body}`);
      sentNs.push(Number(answer.sentNs));
      answers.add(answer.latencyNs);
      if (!(await waitFor(() => delivered() >= expected - (dropped() - droppedBefore), 10_000))) ++timeouts;
    }
    const made = sentNs.length;
    const holdSeconds = Number(nowNs() - holdsStart) / 1e9;
    const cpuAfter = cpuReading(servers, databases.postgresPort);
    await Promise.all(http.map((client) => client.close()));

    const logs = await Promise.all(workers.map((worker) => new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage('stop');
    })));
    const other = new Samples(); // (change, subscriber of another server)
    const same = new Samples(); // (change, subscriber of the server that made it)
    const byReceiver = servers.map(() => new Samples()); // other-server deliveries per receiving server
    const lastOther = new Array(made).fill(-1);
    const reachedOther = new Array(made).fill(0);
    let unmatched = 0; let gaps = 0; let outOfOrder = 0; let snapshotsAgain = 0; let missing = 0; let repeats = 0;
    const closes = [];
    for (const log of logs) {
      closes.push(...log.closes);
      const version = [...log.snapshotVersions]; // per subscriber: the last version seen
      const next = new Array(log.servers.length).fill(0); // per subscriber: the next change expected
      for (let d = 0; d < log.texts.length; ++d) {
        const subscriber = log.subscribers[d];
        let message;
        try { message = JSON.parse(log.texts[d]); } catch { ++unmatched; continue; }
        if (message.type === 'snapshot') { ++snapshotsAgain; version[subscriber] = message.version; continue; }
        if (message.type !== 'seats') { ++unmatched; continue; }
        if (message.version !== version[subscriber] + 1) ++gaps;
        version[subscriber] = message.version;
        let matched = false;
        for (const [seat, state] of Object.entries(message.seats ?? {})) {
          const hold = holdOfSeat.get(seat);
          if (hold === undefined || state !== 'held' || hold >= made) continue;
          matched = true;
          if (hold < next[subscriber]) { ++repeats; continue; }
          if (hold > next[subscriber]) ++outOfOrder;
          next[subscriber] = hold + 1;
          const ns = log.times[d] - sentNs[hold];
          const receiver = log.servers[subscriber];
          if (receiver === serverOfHold[hold]) {
            same.add(ns);
          } else {
            other.add(ns);
            byReceiver[receiver].add(ns);
            lastOther[hold] = Math.max(lastOther[hold], ns);
            ++reachedOther[hold];
          }
        }
        if (!matched) ++unmatched;
      }
      for (let subscriber = 0; subscriber < log.servers.length; ++subscriber) if (next[subscriber] !== made) ++missing;
    }
    // The last other-server subscriber of a change counts only when all of them got it.
    const othersPerChange = subscribers * (Servers - 1);
    const lastSubscriber = new Samples();
    for (let i = 0; i < made; ++i) if (reachedOther[i] === othersPerChange) lastSubscriber.add(lastOther[i]);
    const expectedOther = made * othersPerChange;
    const expectedSame = made * subscribers;
    const clean = made === holds && other.count === expectedOther && same.count === expectedSame && !gaps
      && !outOfOrder && !repeats && !snapshotsAgain && !missing && !unmatched && dropped() === 0 && timeouts === 0;
    const cpu = cpuText(cpuBefore, cpuAfter, holdSeconds);

    console.log(`fan-out across ${Servers} servers, ${subscribers} subscribers each (${threads} client threads), ${made} holds round robin, ${Backend}:`);
    console.log(`  other servers' subscribers (HTTP request sent -> update received): ${other.summary()}`);
    byReceiver.forEach((samples, s) => console.log(`    received on server ${s + 1}: ${samples.summary()}`));
    console.log(`  last other-server subscriber of each change:                        ${lastSubscriber.summary()}`);
    console.log(`  the holding server's own subscribers (reference):                   ${same.summary()}`);
    console.log(`  HTTP answer to the hold:                                             ${answers.summary()}`);
    console.log(`  deliveries: other ${other.count} of ${expectedOther}, same ${same.count} of ${expectedSame}; ${missing} subscribers missed a change, `
      + `${gaps} version gaps, ${outOfOrder} out of order, ${repeats} repeats, ${snapshotsAgain} second snapshots, ${unmatched} unmatched, `
      + `${dropped()} dropped${closes.length ? ` (close ${[...new Set(closes)].join(', ')})` : ''}, ${timeouts} changes timed out`);
    console.log(`  CPU during the holds (${holdSeconds.toFixed(1)} s): ${cpu}`);
    const f1 = (samples, p) => samples.percentileMs(p).toFixed(1);
    const four = (samples) => [50, 95, 99, 100].map((p) => f1(samples, p)).join(' / ');
    row(name, label, 'other servers\' subscribers p50/p95/p99/max ms', four(other));
    row(name, label, 'p99 ms by receiving server', byReceiver.map((samples, s) => `${s + 1}: ${f1(samples, 99)}`).join(', '));
    row(name, label, `last other-server subscriber p50/p99 ms (${lastSubscriber.count} changes)`, `${f1(lastSubscriber, 50)} / ${f1(lastSubscriber, 99)}`);
    row(name, label, 'same server\'s subscribers p50/p95/p99/max ms', four(same));
    row(name, label, 'hold HTTP answer p50/p99 ms', `${f1(answers, 50)} / ${f1(answers, 99)}`);
    row(name, label, 'deliveries (other; same) / connect time', `${other.count} of ${expectedOther}; ${same.count} of ${expectedSame} / ${connectSeconds.toFixed(1)} s`);
    row(name, label, 'missed / gaps / out of order / dropped', `${missing} / ${gaps} / ${outOfOrder + repeats} / ${dropped()}`);
    row(name, label, 'CPU during holds (servers; postgres; client)', cpu);
    if (clean) {
      figure('cluster.fanout.p99', other.percentileMs(99));
      figure('cluster.fanout.last_p99', lastSubscriber.percentileMs(99));
      figure('cluster.fanout.same_p99', same.percentileMs(99));
    }
    return clean;
  } catch (error) {
    console.error(`${name}: ${error.stack ?? error}`);
    const messages = serverMessages(servers);
    if (messages.length) console.error(`server messages:\n${messages.join('\n')}`);
    return false;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
    const messages = serverMessages(servers);
    await Promise.all(servers.map(stopServer));
    if (messages.length) console.log(`  server messages:\n    ${messages.slice(0, 20).join('\n    ')}`);
    databases.stop();
  }
}

// --- Part 2: throughput, one server and three -------------------------------

/**
 * One customer on its own connection and cart (holds.mjs's loop): hold a
 * seat, release it, next seat; GA (no \a seats): hold one place, release it.
 */
async function holder(http, seats, { cart, token }, event, window, tally) {
  const inWindow = (sentNs) => sentNs >= window.start && sentNs < window.end;
  const count = (status) => tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
  for (let next = 0; nowNs() < window.end; ++next) {
    const body = seats ? `{"event":"${event}","seats":["${seats[next % seats.length]}"]}` : `{"event":"${event}","quantity":1}`;
    const hold = await exchange(http, 'POST', `/api/v1/carts/${cart}/holds`, { token, body });
    if (inWindow(hold.sentNs)) {
      tally.hold.add(hold.latencyNs);
      if (hold.status === 201) ++tally.granted;
      else count(`hold ${hold.status}`);
    }
    if (hold.status === 0) return;
    if (hold.status !== 201) continue;
    // The release always goes out, even after the window, so no seat stays held.
    const id = JSON.parse(hold.body).hold;
    const release = await exchange(http, 'DELETE', `/api/v1/carts/${cart}/holds/${id}`, { token });
    if (inWindow(release.sentNs)) {
      tally.release.add(release.latencyNs);
      if (release.status === 204) ++tally.released;
      else count(`release ${release.status}`);
    }
    if (release.status === 0) return;
  }
}

async function throughput({ databases, count, event, clients, seconds }) {
  const kind = event === 'open-air' ? 'ga' : 'seated';
  const name = `cluster holds ${clients} conns, ${count} server${count > 1 ? 's' : ''}`;
  const label = `${Backend}, ${event}`;
  let servers = [];
  try {
    servers = await startCluster(databases.fresh(), count);
    const setup = connection(servers[0].port);
    const seats = kind === 'seated' ? await availableSeats(setup) : null;
    await setup.close();
    // Client c on server c % count with its own cart and (seated) its own seats.
    const holders = [];
    for (let c = 0; c < clients; ++c) {
      const own = seats ? seats.filter((_, s) => s % clients === c % seats.length) : null;
      const server = c % count;
      const http = connection(servers[server].port);
      const cart = await newCart(http);
      if (!cart) throw new Error(`client ${c} could not get a cart on server ${server + 1}`);
      holders.push({ http, own, cart, server, tally: { hold: new Samples(), release: new Samples(), granted: 0, released: 0, statuses: new Map() } });
    }
    const warmupMs = 1000;
    const window = { start: nowNs() + BigInt(warmupMs) * 1_000_000n, end: 0n };
    window.end = window.start + BigInt(Math.round(seconds * 1e9));
    let cpuBefore; let cpuAfter;
    setTimeout(() => { cpuBefore = cpuReading(servers, databases.postgresPort); }, warmupMs);
    setTimeout(() => { cpuAfter = cpuReading(servers, databases.postgresPort); }, warmupMs + seconds * 1000);
    await Promise.all(holders.map(({ http, own, cart, tally }) => holder(http, own, cart, event, window, tally)));
    while (!cpuAfter) await sleep(10);
    await Promise.all(holders.map(({ http }) => http.close()));

    const hold = new Samples(); const release = new Samples();
    const statuses = new Map();
    let granted = 0; let released = 0;
    const perServer = servers.map(() => 0);
    for (const { tally, server } of holders) {
      for (const ns of tally.hold.ns) hold.add(ns);
      for (const ns of tally.release.ns) release.add(ns);
      for (const [status, n] of tally.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n);
      granted += tally.granted;
      released += tally.released;
      perServer[server] += tally.released;
    }
    const pairsPerSecond = released / seconds;
    const other = [...statuses].map(([status, n]) => `${n} × ${status}`).join(', ');
    const cpu = cpuText(cpuBefore, cpuAfter, seconds);
    const messages = serverMessages(servers);
    await Promise.all(servers.map(stopServer));
    const deadlocksSeen = deadlocks(databases);
    console.log(`${name} on ${label}, ${seconds} s measured after 1 s warm-up:`);
    console.log(`  pairs ${released} (${pairsPerSecond.toFixed(0)}/s${count > 1 ? `; per server ${perServer.map((n) => (n / seconds).toFixed(0)).join(' / ')}` : ''}), holds granted ${granted} (${(granted / seconds).toFixed(0)}/s), other answers: ${other || 'none'}`);
    console.log(`  hold latency    ${hold.summary()}`);
    console.log(`  release latency ${release.summary()}`);
    console.log(`  CPU: ${cpu}`);
    console.log(`  PostgreSQL deadlocks: ${deadlocksSeen}`);
    if (messages.length) console.log(`  server messages:\n    ${messages.slice(0, 20).join('\n    ')}`);
    const p5099 = (samples) => `${samples.percentileMs(50).toFixed(2)} / ${samples.percentileMs(99).toFixed(2)}`;
    row(name, label, 'hold+release pairs/s (holds granted/s)', `${pairsPerSecond.toFixed(0)} (${(granted / seconds).toFixed(0)})`);
    row(name, label, 'hold p50/p99 ms', p5099(hold));
    row(name, label, 'release p50/p99 ms', p5099(release));
    row(name, label, 'CPU (servers; postgres; client)', cpu);
    if (deadlocksSeen) row(name, label, 'PostgreSQL deadlocks', String(deadlocksSeen));
    if (other) {
      row(name, label, 'unexpected answers', other);
      return NaN;
    }
    figure(`cluster.pairs.${count === 1 ? 'one' : 'three'}.${kind}`, pairsPerSecond);
    return pairsPerSecond;
  } catch (error) {
    console.error(`${name} (${label}): ${error.stack ?? error}`);
    const messages = serverMessages(servers);
    if (messages.length) console.error(`server messages:\n${messages.join('\n')}`);
    return NaN;
  } finally {
    await Promise.all(servers.map(stopServer));
  }
}

async function pairs({ clients, seconds }) {
  const databases = new BenchDatabases(Backend);
  let ok = true;
  try {
    await databases.start();
    for (const event of ['breakfast-ii', 'open-air']) {
      const one = await throughput({ databases, count: 1, event, clients, seconds });
      const three = await throughput({ databases, count: Servers, event, clients, seconds });
      ok = ok && Number.isFinite(one) && Number.isFinite(three);
      const ratio = Number.isFinite(one) && Number.isFinite(three) && one > 0 ? (three / one).toFixed(2) : '—';
      console.log(`  ${event}: ${Servers} servers / 1 server = ${ratio}`);
      row(`cluster holds ${clients} conns`, `${Backend}, ${event}`, `pairs/s ${Servers} servers / 1 server`, ratio);
    }
  } catch (error) {
    console.error(`cluster throughput: ${error.stack ?? error}`);
    ok = false;
  } finally {
    databases.stop();
  }
  return ok;
}

if (isMainThread) {
  const options = parseArgs({ subscribers: '1000', holds: '100', seconds: '10', clients: '50', threads: '2', parts: 'fanout,pairs' });
  const parts = options.parts.split(',');
  let ok = true;
  if (parts.includes('fanout')) {
    ok = (await fanout({
      subscribers: Number(options.subscribers), holds: Number(options.holds), threads: Math.max(1, Number(options.threads)),
    })) && ok;
  }
  if (parts.includes('pairs')) ok = (await pairs({ clients: Number(options.clients), seconds: Number(options.seconds) })) && ok;
  process.exit(ok ? 0 : 1);
} else {
  subscriberWorker();
}
