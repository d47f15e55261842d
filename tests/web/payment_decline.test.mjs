// Declined payments, forged provider reports and a Pay pressed twice, in
// headless Chromium against the real marquee-server (--demo):
// - Decline brings the buyer back to the page with one notice ("Payment
//   declined — your seats are still held until HH:MM"), the cart intact and
//   the query gone from the address; a second checkout starts a new payment
//   and Pay works.
// - Reports to the webhook that are unsigned, forged, stale or tampered with
//   are refused (400) and change nothing. This process cannot know the
//   server's secret, so a genuine report is never replayed by hand: the
//   replay is the provider's page's own form sent again (twice at once, and
//   once more from the page), which must sell once and lead to one order.
// - A buyer sent back by a provider with no order key (real providers are
//   never told it) sees the order through the cart that paid, and the
//   order's link takes the address.
//
//   MARQUEE_SERVER=path/to/marquee-server node payment_decline.test.mjs
//   MARQUEE_WEB_DIR=resources/web   the page's files from disk (support.mjs)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import {
  LIVE_TIMEOUT_MS, Server, freePort, launch, loadChromium, serverBinary, tempDir, until, watchPage, watchdog,
} from './support.mjs';
import { addSeat, checkoutToProvider, orderLink, pressPay, seatState } from './checkout_support.mjs';

const chromium = await loadChromium();
const SERVER = serverBinary();
watchdog(110);

let tmp;
let server;
let context;
let page;
const problems = [];

const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem('marquee.cart') || 'null'));

before(async () => {
  tmp = await tempDir();
  server = new Server(SERVER, tmp, await freePort());
  await server.ready();
  context = await launch(chromium, tmp);
  page = context.pages()[0] || await context.newPage();
  watchPage(page, problems);
  await page.goto(server.base + '/');
  // Records the most notices ever on screen at once.
  await page.addInitScript(() => {
    window.__mostNotices = 0;
    addEventListener('DOMContentLoaded', () => {
      const region = document.getElementById('notices');   // the customer page only
      if (!region) return;
      new MutationObserver(() => {
        window.__mostNotices = Math.max(window.__mostNotices, region.querySelectorAll('.notice').length);
      }).observe(region, { childList: true });
    });
  });
});

after(async () => {
  await context?.close().catch(() => {});
  await server?.stop().catch(() => {});
  if (tmp) await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
});

describe('decline, forged reports, Pay twice', { timeout: 90_000 }, () => {
  test('Decline: back on the page with one notice and the cart intact; a second checkout pays', async () => {
    await addSeat(page, 'breakfast-ii', 'D4');
    const first = await checkoutToProvider(page);
    // Another tab meanwhile: the seat is in checkout, with nothing to
    // remove or renew until the payment is paid or declined.
    const shop = await context.newPage();
    watchPage(shop, problems);
    await shop.goto(server.base + '/#/breakfast-ii');
    await shop.waitForSelector('#cart-list .cart-item__checkout');
    assert.match(await shop.textContent('#cart-list'), /D4/);
    assert.equal(await shop.locator('#cart-list button[data-action="remove"]').count(), 0);
    await shop.close();
    await Promise.all([page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('payment') === 'declined'),
      page.click('form.decide button.decline')]);
    const notice = page.locator('#notices .notice');
    await notice.waitFor();
    const { cart, token } = await stored();
    const held = (await server.call('GET', `/api/v1/carts/${cart}`, { token })).body;
    assert.equal(held.holds.length, 1, 'the hold is still in the cart');
    const heldUntil = await page.evaluate((iso) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .format(new Date(iso)), held.holds[0].expiresAt);
    assert.match(await notice.textContent(), new RegExp(`^Payment declined — your seats are still held until ${heldUntil}\\b`));
    assert.equal(await notice.count(), 1);
    assert.equal(await page.evaluate(() => location.search), '', 'the query is gone from the address');
    await page.waitForSelector('#D4[data-state="held"].seat--mine');
    assert.match(await page.textContent('#cart-list'), /D4/);
    assert.equal(await page.locator('#cart-list button[data-action="remove"]').count(), 1, 'declined: the cart\'s own again');
    assert.equal(await seatState(server, 'breakfast-ii', 'D4'), 'held');

    // A reload does not say it again.
    await page.reload();
    await page.waitForSelector('#D4.seat--mine');
    assert.equal(await page.locator('#notices .notice').count(), 0);

    // The name and e-mail are still filled in (this tab remembers them).
    await page.click('#checkout');
    await page.waitForSelector('#checkout-dialog[open]');
    assert.equal(await page.inputValue('#buyer-name'), 'Ada Lovelace');
    await page.keyboard.press('Escape');
    const second = await checkoutToProvider(page);
    assert.notEqual(second.pathname, first.pathname, 'a new payment');
    const link = await pressPay(page);
    await page.waitForSelector('#order-head[data-outcome="paid"]');
    assert.equal(link.outcome, 'paid');
    assert.match(await page.textContent('.ticket'), /D4/);
    assert.equal(await seatState(server, 'breakfast-ii', 'D4'), 'sold');
    assert.ok(await page.evaluate(() => window.__mostNotices) <= 1);
  });

  test('forged, stale and tampered reports are refused and change nothing', async () => {
    await page.goto(server.base + '/#/breakfast-ii');
    await addSeat(page, 'breakfast-ii', 'D6');
    const provider = await checkoutToProvider(page);
    const payment = provider.pathname.split('/').pop();
    const amount = 4500;
    const body = JSON.stringify({ id: `evt_${randomBytes(8).toString('hex')}`, type: 'payment.succeeded', payment, amount, currency: 'EUR', reference: 'forged' });
    const now = Math.floor(Date.now() / 1000);
    const sign = (t, text, secret) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${text}`).digest('hex')}`;
    const reports = {
      unsigned: { body },
      'forged (a guessed secret)': { body, signature: sign(now, body, 'secret') },
      'forged (random bytes)': { body, signature: `t=${now},v1=${randomBytes(32).toString('hex')}` },
      'stale (ten minutes old)': { body, signature: sign(now - 600, body, 'secret') },
      'tampered (amount changed after signing)': { body: body.replace('4500', '1'), signature: sign(now, body, 'secret') },
      'malformed header': { body, signature: 'v1=abc' },
    };
    for (const [what, report] of Object.entries(reports)) {
      const headers = { 'Content-Type': 'application/json' };
      if (report.signature) headers['Marquee-Signature'] = report.signature;
      const response = await fetch(`${server.base}/api/v1/payments/webhooks/test`, { method: 'POST', headers, body: report.body });
      assert.equal(response.status, 400, `${what}: ${response.status} ${await response.text()}`);
    }
    assert.equal(await seatState(server, 'breakfast-ii', 'D6'), 'held', 'nothing was sold');
    // The provider's page still offers Pay: the payment is still pending.
    await page.reload();
    await page.waitForSelector('form.decide button.pay');
  });

  test('Pay sent twice at once and again from the page: one sale, one order', async () => {
    const action = await page.getAttribute('form.decide', 'action');
    const send = () => fetch(new URL(action, server.base), {
      method: 'POST', redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=pay',
    });
    const answers = await Promise.all([send(), send()]);
    const links = answers.map((answer) => {
      assert.equal(answer.status, 303);
      return orderLink(new URL(answer.headers.get('location'), server.base).href);
    });
    assert.equal(links[0].order, links[1].order, 'both lead to the same order');
    const outcomes = links.map((l) => l.outcome).sort();
    assert.ok(outcomes.includes('paid'), `one of them paid (${outcomes})`);
    // And the page's own button, pressed after: the same order, shown as paid.
    const shown = await pressPay(page);
    assert.equal(shown.order, links[0].order);
    await page.waitForSelector('#order-head[data-outcome="paid"]');

    const order = (await server.call('GET', `/api/v1/orders/${shown.order}`, { token: shown.key })).body;
    assert.equal(order.state, 'paid');
    assert.equal(order.tickets.length, 1, 'one ticket');
    assert.equal(order.tickets[0].seat, 'D6');
    assert.equal(await page.locator('.ticket').count(), 1);
    assert.equal(await seatState(server, 'breakfast-ii', 'D6'), 'sold', 'the availability API agrees');
    // Every link it handed out opens the same order, with its one ticket.
    for (const link of links) {
      const again = (await server.call('GET', `/api/v1/orders/${link.order}`, { token: link.key })).body;
      assert.equal(again.tickets.length, 1);
      assert.equal(again.tickets[0].code, order.tickets[0].code);
    }
  });

  test('back from a provider without the link\'s key: the paying browser opens its order', async () => {
    await page.goto(server.base + '/#/breakfast-ii');
    await addSeat(page, 'breakfast-ii', 'D8');
    await checkoutToProvider(page);
    const action = await page.getAttribute('form.decide', 'action');
    const order = await page.evaluate(() => JSON.parse(localStorage.getItem('marquee.checkout')).order);
    // A provider elsewhere takes the money, then sends the buyer to the
    // success URL it was given, which carries no key.
    const paid = await fetch(new URL(action, server.base), {
      method: 'POST', redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=pay',
    });
    assert.equal(paid.status, 303);
    await page.goto(`${server.base}/order.html?order=${order}`);
    await page.waitForSelector('#order-head[data-outcome="paid"]');
    assert.match(await page.textContent('.ticket'), /D8/);
    // The order's link took the address: a bookmark, a reload, work.
    const link = orderLink(page.url());
    assert.equal(link.order, order);
    assert.ok(link.key, `the key is in the address now: ${page.url()}`);
    assert.equal((await server.call('GET', `/api/v1/orders/${order}`, { token: link.key })).body.state, 'paid');
    assert.equal(await page.evaluate(() => localStorage.getItem('marquee.cart')), null, 'the paid cart is forgotten');
    await page.reload();
    await page.waitForSelector('#order-head[data-outcome="paid"]');
  });

  test('the order page refuses a wrong key', async () => {
    const link = orderLink(page.url());
    await page.goto(`${server.base}/order.html?order=${link.order}&outcome=paid#key=wrong`);
    await page.waitForSelector('#order-problem:not([hidden])', { timeout: LIVE_TIMEOUT_MS });
    assert.match(await page.textContent('#problem-title'), /does not open an order/);
    assert.equal(await page.locator('.ticket').count(), 0);
  });

  test('no CSP violations or page errors', () => {
    assert.deepEqual(problems, []);
  });
});
