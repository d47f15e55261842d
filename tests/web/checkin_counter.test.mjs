// The counter and the door, seen from the customer page, in headless
// Chromium against the real marquee-server (--demo):
// - a counter sale made through the API (as the counter app makes it) shows
//   on the open page live: held, then sold;
// - a ticket bought on the page is checked in through the API once
//   ("ok"), then "already_redeemed" with the time, and its order page says
//   so; another event's door refuses it;
// - two check-ins of one fresh ticket at the same moment: exactly one "ok".
//
//   MARQUEE_SERVER=path/to/marquee-server node checkin_counter.test.mjs
//   MARQUEE_WEB_DIR=resources/web   the page's files from disk (support.mjs)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import {
  LIVE_TIMEOUT_MS, Server, freePort, launch, loadChromium, openEvent, serverBinary, tempDir, watchPage, watchdog,
} from './support.mjs';
import { addSeat, checkoutToProvider, pressPay, seatState, staffToken } from './checkout_support.mjs';

const chromium = await loadChromium();
const SERVER = serverBinary();
watchdog(110);

let tmp;
let server;
let context;
let page;
let staff;
const problems = [];

const checkin = (body) => server.call('POST', '/api/v1/checkin', { token: staff, body });

before(async () => {
  tmp = await tempDir();
  server = new Server(SERVER, tmp, await freePort());
  await server.ready();
  staff = await staffToken(server, 'clerk');
  context = await launch(chromium, tmp);
  page = context.pages()[0] || await context.newPage();
  watchPage(page, problems);
  await page.goto(server.base + '/');
  await openEvent(page, 'breakfast-ii');
});

after(async () => {
  await context?.close().catch(() => {});
  await server?.stop().catch(() => {});
  if (tmp) await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
});

describe('counter and door', { timeout: 90_000 }, () => {
  let counterCode;

  test('a counter sale through the API shows on the page live: held, then sold', async () => {
    await page.waitForSelector('#G2[data-state="available"]');
    const cart = await server.call('POST', '/api/v1/carts', { token: staff });
    assert.equal(cart.status, 201);
    const held = await server.call('POST', `/api/v1/carts/${cart.body.cart}/holds`,
      { token: cart.body.token, body: { event: 'breakfast-ii', seats: ['G2', 'G3'] } });
    assert.equal(held.status, 201, JSON.stringify(held.body));
    await page.waitForSelector('#G2[data-state="held"]', { timeout: LIVE_TIMEOUT_MS });
    await page.waitForSelector('#G3[data-state="held"]', { timeout: LIVE_TIMEOUT_MS });
    const sale = await server.call('POST', '/api/v1/counter/sales', {
      token: staff, headers: { 'Idempotency-Key': 'door-test-sale-1' }, body: { cart: cart.body.cart, payment: 'cash' },
    });
    assert.equal(sale.status, 201, JSON.stringify(sale.body));
    await page.waitForSelector('#G2[data-state="sold"]', { timeout: LIVE_TIMEOUT_MS });
    await page.waitForSelector('#G3[data-state="sold"]', { timeout: LIVE_TIMEOUT_MS });
    assert.match(await page.getAttribute('#G2', 'aria-label'), /sold/i);
    assert.equal(sale.body.tickets.length, 2);
    counterCode = sale.body.tickets.find((t) => t.seat === 'G3').code;
    assert.ok(counterCode, 'counter tickets have codes');
  });

  test('a ticket bought on the page: check-in ok, then already_redeemed; the order page says so', async () => {
    await addSeat(page, 'breakfast-ii', 'G5');
    await checkoutToProvider(page);
    const link = await pressPay(page);
    await page.waitForSelector('.ticket svg.ticket__qr-code');
    const code = await page.getAttribute('.ticket', 'data-code');
    assert.ok(code);

    const wrong = await checkin({ code, event: 'open-air' });
    assert.equal(wrong.status, 409);
    assert.equal(wrong.body.error, 'wrong_event');

    const first = await checkin({ code, event: 'breakfast-ii' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.result, 'ok');
    const second = await checkin({ code, event: 'breakfast-ii' });
    assert.equal(second.status, 409);
    assert.equal(second.body.error, 'already_redeemed');
    assert.ok(second.body.at, 'with the time it was redeemed');

    const unknown = await checkin({ code: 'no-such-ticket-code-000000000000' });
    assert.equal(unknown.status, 404);

    await page.reload();
    await page.waitForSelector('.ticket');
    assert.match(await page.textContent('.ticket'), /Checked in/);
    assert.equal(link.outcome, 'paid');
    assert.equal(await seatState(server, 'breakfast-ii', 'G5'), 'sold');
  });

  test('two check-ins of one fresh ticket at the same moment: exactly one is ok', async () => {
    const answers = await Promise.all([
      checkin({ code: counterCode, event: 'breakfast-ii' }),
      checkin({ code: counterCode, event: 'breakfast-ii' }),
    ]);
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, 409], JSON.stringify(answers.map((a) => a.body)));
    assert.equal(answers.find((a) => a.status === 409).body.error, 'already_redeemed');
  });

  test('no CSP violations or page errors', () => {
    assert.deepEqual(problems, []);
  });
});
