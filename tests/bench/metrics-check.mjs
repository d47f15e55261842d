// GET /metrics and GET /healthz of the real marquee-server, as Prometheus and
// a load balancer read them: the text parses (prometheus.mjs), every
// histogram is well-formed, and the counters move with what happens — holds
// made and released, a channel subscriber, answers. Loopback only.
// Usage: node metrics-check.mjs [--holds 5] [--backend sqlite|postgresql]
// Prints ROW lines like the benchmarks; exits 1 on any problem.
import WebSocket from 'ws';
import {
  BenchDatabases, availableSeats, connection, exchange, newCart, parseArgs, row, startServer, stopServer,
} from './common.mjs';
import { parseMetrics } from './prometheus.mjs';

const options = parseArgs({ holds: '5', backend: 'sqlite' });
const holds = Number(options.holds);
const name = 'metrics check';

function expect(condition, what) {
  if (!condition) throw new Error(what);
}

async function scrape(http) {
  const answer = await exchange(http, 'GET', '/metrics');
  expect(answer.status === 200, `GET /metrics: ${answer.status} ${answer.body}`);
  return parseMetrics(answer.body);
}

/** A subscriber of breakfast-ii, once it has its snapshot. */
function subscribe(port) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/events/breakfast-ii/messages`, { perMessageDeflate: false });
    const timer = setTimeout(() => reject(new Error('no snapshot within 10 s')), 10_000);
    socket.once('message', () => { clearTimeout(timer); resolve(socket); });
    socket.once('error', reject);
  });
}

const databases = new BenchDatabases(options.backend);
let server;
let exitCode = 0;
try {
  await databases.start();
  server = await startServer(databases.fresh());
  const http = connection(server.port);
  const health = await exchange(http, 'GET', '/healthz');
  expect(health.status === 200 && health.body === '{"status":"ok"}', `GET /healthz: ${health.status} ${health.body}`);
  const before = await scrape(http);
  const socket = await subscribe(server.port);

  // Holds of one seat each, then their releases; a cart takes 10 live holds.
  const seats = await availableSeats(http);
  expect(seats.length >= holds, `only ${seats.length} seats for ${holds} holds`);
  const made = [];
  let cart;
  for (let i = 0; i < holds; ++i) {
    if (i % 10 === 0) cart = await newCart(http);
    const answer = await exchange(http, 'POST', `/api/v1/carts/${cart.cart}/holds`, {
      token: cart.token, body: `{"event":"breakfast-ii","seats":["${seats[i]}"]}`,
    });
    expect(answer.status === 201, `hold ${seats[i]}: ${answer.status} ${answer.body}`);
    made.push({ cart, hold: JSON.parse(answer.body).hold });
  }
  for (const { cart: owner, hold } of made) {
    const answer = await exchange(http, 'DELETE', `/api/v1/carts/${owner.cart}/holds/${hold}`, { token: owner.token });
    expect(answer.status === 204, `release ${hold}: ${answer.status} ${answer.body}`);
  }
  const after = await scrape(http);
  socket.terminate();
  await http.close();

  const grew = (metric, labels) => (after.value(metric, labels) ?? NaN) - (before.value(metric, labels) ?? 0);
  const created = grew('marquee_holds_created_total');
  const released = grew('marquee_holds_released_total', { reason: 'cart' });
  expect(created === holds, `marquee_holds_created_total grew by ${created}, not ${holds}`);
  expect(released === holds, `marquee_holds_released_total{reason="cart"} grew by ${released}, not ${holds}`);
  expect(after.value('marquee_channel_subscribers') === 1, `marquee_channel_subscribers is ${after.value('marquee_channel_subscribers')}, not 1`);
  const answered = grew('marquee_http_requests_total', { status: '2xx' });
  // The first scrape, the availability read, the carts, the holds and the releases.
  const expected = 2 + Math.ceil(holds / 10) + 2 * holds;
  expect(answered === expected, `2xx answers grew by ${answered}, not ${expected}`);
  expect(grew('marquee_http_request_duration_seconds_count') >= expected, 'the request histogram did not count the requests');
  for (const metric of ['marquee_storage_commit_duration_seconds', 'marquee_channel_fanout_duration_seconds']) {
    expect(after.types.get(metric) === 'histogram', `no histogram ${metric}`);
  }
  // Every hold and release was a change the subscriber was sent; each is
  // timed when its frame has reached the subscribers, so it may lag the answer.
  const fannedOut = grew('marquee_channel_fanout_duration_seconds_count');
  expect(fannedOut <= 2 * holds && fannedOut >= holds,
    `marquee_channel_fanout_duration_seconds_count grew by ${fannedOut}, not about ${2 * holds}`);
  console.log(`${name} on ${options.backend}: ${after.samples.length} samples of ${after.types.size} metrics parse;`
    + ` ${holds} holds made and released were counted; /healthz ok`);
  row(name, options.backend, 'samples / metrics parsed', `${after.samples.length} / ${after.types.size}`);
  row(name, options.backend, 'holds created / released (counted)', `${created} / ${released}`);
} catch (error) {
  console.error(`${name}: ${error.stack ?? error}`);
  if (server?.output) console.error(`server output:\n${server.output}`);
  exitCode = 1;
} finally {
  if (server) await stopServer(server);
  databases.stop();
}
process.exit(exitCode);
