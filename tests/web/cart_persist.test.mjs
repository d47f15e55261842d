// The customer's cart across reloads, tabs and sleep, "More time", notices,
// the general-admission quantity, dates and the seat colours, in headless
// Chromium against the real marquee-server (--demo).
//
//   MARQUEE_SERVER=path/to/marquee-server node cart_persist.test.mjs
//   MARQUEE_WEB_DIR=resources/web   the page's files from disk (support.mjs)
//
// Every wait is a condition with a timeout, never a fixed sleep.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  LIVE_TIMEOUT_MS, Server, freePort, launch, loadChromium, openEvent, serverBinary, tempDir,
  until, watchPage, watchdog,
} from './support.mjs';

const chromium = await loadChromium();
const SERVER = serverBinary();
watchdog(140);

let tmp;
let server;
let context;
let page;
const problems = [];

const stored = (target) => target.evaluate(() => JSON.parse(localStorage.getItem('marquee.cart') || 'null'));
const lineOf = (target, slug) => target.locator(`#cart-list .cart-item[data-event="${slug}"]`);

/** Records the most notices ever on screen at once. */
async function countNotices(target) {
  await target.evaluate(() => {
    window.__mostNotices = 0;
    new MutationObserver(() => {
      window.__mostNotices = Math.max(window.__mostNotices, document.querySelectorAll('#notices .notice').length);
    }).observe(document.getElementById('notices'), { childList: true });
  });
}

async function setQuantity(target, text) {
  await target.fill('#ga-quantity', text);
}

before(async () => {
  tmp = await tempDir();
  server = new Server(SERVER, tmp, await freePort());
  await server.ready();
  // A German browser in New York: the page must still speak English and
  // give the venue's times.
  context = await launch(chromium, tmp, { locale: 'de-DE', timezoneId: 'America/New_York' });
  page = context.pages()[0] || await context.newPage();
  watchPage(page, problems);
  await page.goto(server.base + '/');
  await countNotices(page);
});

after(async () => {
  await context?.close().catch(() => {});
  await server?.stop().catch(() => {});
  if (tmp) await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
});

describe('cart, notices and formats', { timeout: 90_000 }, () => {
  test('dates are in the page language and the venue time zone, with its name', async () => {
    const events = (await server.call('GET', '/api/v1/events')).body;
    const event = events.find((e) => e.slug === 'breakfast-ii');
    const zone = event.timeZone || 'UTC';
    const expected = (options) => new Intl.DateTimeFormat('en', { timeZone: zone, ...options }).format(new Date(event.startsAt));
    await page.waitForSelector('[data-slug="breakfast-ii"] .event-card__date');
    await openEvent(page, 'breakfast-ii');
    for (const text of [await page.textContent('#event-date'), await page.textContent('[data-slug="breakfast-ii"] .event-card__date')]) {
      assert.doesNotMatch(text, /Montag|Dezember|Uhr|Mo\.|Dez\./, `no German in "${text}"`);
      assert.ok(text.includes(expected({ hour: 'numeric', minute: '2-digit' })), `"${text}" has the venue's time`);
      assert.ok(text.includes(expected({ month: 'short' })), `"${text}" has the month in English`);
      const zoneName = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'short' })
        .formatToParts(new Date(event.startsAt)).find((p) => p.type === 'timeZoneName').value;
      assert.ok(text.includes(zoneName), `"${text}" names the zone (${zoneName})`);
    }
    assert.match(await page.textContent('#price-list'), /€45\.00/, 'money in English too');
  });

  test('seat colours are the counter app\'s, each state with its own mark and a text legend', async () => {
    await page.waitForSelector('#seatmap circle.seat[data-state="available"]');
    await server.holdElsewhere({ event: 'breakfast-ii', seats: ['J3'] });
    await page.waitForSelector('#J3[data-state="held"]');
    await page.click('#J5');
    const looks = await page.evaluate(() => {
      const look = (el) => {
        const style = getComputedStyle(el);
        const ref = /url\("?#([^")]+)"?\)/.exec(style.fill)?.[1];
        const pattern = ref && document.getElementById(ref);
        return {
          base: pattern ? getComputedStyle(pattern.querySelector('rect')).fill : style.fill,
          marked: Boolean(pattern?.querySelector('path, circle')),
          stroke: style.stroke,
        };
      };
      const legend = {};
      for (const item of document.querySelectorAll('#legend li')) legend[item.textContent.trim()] = look(item.querySelector('circle'));
      return {
        available: look(document.querySelector('#seatmap circle.seat--available:not(.seat--selected)')),
        held: look(document.getElementById('J3')),
        selected: look(document.getElementById('J5')),
        blocked: look(document.querySelector('#seatmap circle.seat--blocked')),
        legend,
      };
    });
    // app/widgets/SeatPalette.cpp
    assert.equal(looks.available.base, 'rgb(134, 239, 172)', 'available: green, as at the counter');
    assert.equal(looks.available.stroke, 'rgb(21, 128, 61)');
    assert.equal(looks.held.base, 'rgb(251, 191, 36)', 'held by someone else: amber, as at the counter');
    assert.equal(looks.selected.base, 'rgb(37, 99, 235)', 'selected: blue, as at the counter');
    assert.equal(looks.blocked.base, 'rgb(55, 65, 81)', 'blocked: dark grey, as at the counter');
    for (const state of ['held', 'selected', 'blocked']) assert.ok(looks[state].marked, `${state} has a mark, not only a colour`);
    assert.deepEqual(looks.legend['Held by someone else'], looks.held, 'the legend shows held as the plan does');
    assert.deepEqual(looks.legend['Your selection'], looks.selected);
    assert.deepEqual(looks.legend.Available, looks.available);
    assert.equal(looks.legend['In your cart'].base, 'rgb(219, 39, 119)', 'in your cart: the counter\'s "in this sale" pink');
    assert.ok(looks.legend['In your cart'].marked);
    await page.click('#J5');
  });

  test('a seat in the cart is "in your cart" here, after a reload and in a new tab', async () => {
    await page.click('#B7');
    await page.click('#add-seats');
    await page.waitForSelector('#B7[data-state="held"].seat--mine');
    assert.match(await page.getAttribute('#B7', 'aria-label'), /in your cart$/);
    const saved = await stored(page);
    assert.ok(saved?.cart && saved?.token, 'the cart id and token are in localStorage');

    await page.reload();
    await page.waitForSelector('#B7[data-state="held"].seat--mine', { timeout: LIVE_TIMEOUT_MS });
    await lineOf(page, 'breakfast-ii').filter({ hasText: 'B7' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    assert.equal((await stored(page)).cart, saved.cart, 'the same cart after a reload');

    const second = await context.newPage();
    watchPage(second, problems);
    try {
      await second.goto(`${server.base}/#/breakfast-ii`);
      await second.waitForSelector('#B7[data-state="held"].seat--mine', { timeout: LIVE_TIMEOUT_MS });
      assert.match(await second.getAttribute('#B7', 'aria-label'), /in your cart$/);
      await lineOf(second, 'breakfast-ii').filter({ hasText: 'B7' }).waitFor();
      // A seat added in the second tab shows as ours in the first one too.
      await second.click('#B9');
      await second.click('#add-seats');
      await page.waitForSelector('#B9[data-state="held"].seat--mine', { timeout: LIVE_TIMEOUT_MS });
      assert.doesNotMatch(await page.getAttribute('#B9', 'aria-label'), /someone else/);
      await lineOf(page, 'breakfast-ii').filter({ hasText: 'B9' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    } finally {
      await second.close();
    }
  });

  test('"More time" renews a hold; at the limit it says so and goes away', async () => {
    const line = lineOf(page, 'breakfast-ii').filter({ hasText: 'B7' });
    const before = Date.parse(await line.locator('time').getAttribute('datetime'));
    const renewed = page.waitForResponse((r) => /\/holds\/[^/]+\/renew$/.test(r.url()) && r.status() === 200);
    await line.locator('button.renew').click();
    await renewed;
    await until('the countdown to restart', async () => Date.parse(await line.locator('time').getAttribute('datetime')) >= before);
    await page.waitForSelector('.notice:has-text("More time added")');

    // The second renewal happens elsewhere (another tab of the customer's,
    // say): the page learns of the limit from the server's 409.
    const saved = await stored(page);
    const cart = (await server.call('GET', `/api/v1/carts/${saved.cart}`, { token: saved.token })).body;
    const hold = cart.holds.find((h) => h.seats.includes('B7'));
    assert.equal((await server.call('POST', `/api/v1/carts/${saved.cart}/holds/${hold.hold}/renew`, { token: saved.token })).status, 200);
    const refused = page.waitForResponse((r) => /\/renew$/.test(r.url()) && r.status() === 409);
    await line.locator('button.renew').click();
    await refused;
    await page.waitForSelector('.notice:has-text("No more time can be added")');
    await line.locator('button.renew').waitFor({ state: 'detached' });
    assert.equal(await line.locator('button', { hasText: 'Remove' }).count(), 1, 'Remove is still there');
  });

  test('a general-admission quantity that is not 1 to 10 shows no price and cannot be added', async () => {
    await openEvent(page, 'open-air');
    await until('the count', async () => /^\d+$/.test((await page.textContent('#ga-available')).trim()));
    for (const bad of ['0', '-1', '11', 'abc', '', '2.5', '1e1']) {
      await setQuantity(page, bad);
      assert.equal((await page.textContent('#ga-total')).trim(), '', `no price for "${bad}"`);
      assert.equal(await page.isDisabled('#add-ga'), true, `no "Add" for "${bad}"`);
      assert.equal(await page.getAttribute('#ga-quantity', 'aria-invalid'), 'true');
      assert.match(await page.textContent('#ga-hint'), /1 to 10/);
    }
    await setQuantity(page, '3');
    assert.equal((await page.textContent('#ga-total')).trim(), '€57.00');
    assert.equal(await page.isDisabled('#add-ga'), false);
    assert.equal((await page.textContent('#ga-hint')).trim(), '');
  });

  test('a second general-admission add joins the same cart line', async () => {
    await setQuantity(page, '2');
    await page.click('#add-ga');
    await lineOf(page, 'open-air').filter({ hasText: '2 tickets' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await until('"Add" to be ready again', async () => !(await page.isDisabled('#add-ga')));
    await setQuantity(page, '3');
    await page.click('#add-ga');
    await lineOf(page, 'open-air').filter({ hasText: '5 tickets' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    assert.equal(await lineOf(page, 'open-air').count(), 1, 'one line for the event');
    assert.match(await lineOf(page, 'open-air').innerText(), /€95\.00/);
    const saved = await stored(page);
    const cart = (await server.call('GET', `/api/v1/carts/${saved.cart}`, { token: saved.token })).body;
    assert.equal(cart.holds.filter((h) => h.event === 'open-air').length, 2, 'two holds underneath');
    await page.reload();
    await lineOf(page, 'open-air').filter({ hasText: '5 tickets' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
  });

  test('one notice at a time', async () => {
    assert.ok(await page.evaluate(() => window.__mostNotices === undefined || window.__mostNotices <= 1), 'before the reload');
    await countNotices(page);
    await setQuantity(page, '1');
    await page.click('#add-ga');
    await lineOf(page, 'open-air').filter({ hasText: '6 tickets' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.waitForSelector('.notice:has-text("1 ticket added to your cart")');
    await until('"Add" to be ready again', async () => !(await page.isDisabled('#add-ga')));
    await page.click('#add-ga');
    await lineOf(page, 'open-air').filter({ hasText: '7 tickets' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.locator('.cart-item[data-event="open-air"] button.renew').click();
    await page.waitForSelector('.notice:has-text("More time added")');
    assert.equal(await page.locator('#notices .notice').count(), 1);
    assert.equal(await page.evaluate(() => window.__mostNotices), 1, 'never two notices at once');
  });

  test('an unknown or expired cart in storage is dropped silently', async () => {
    await page.evaluate(() => localStorage.setItem('marquee.cart', JSON.stringify({
      cart: 'c_unknown0000000000000000', token: 'not-a-token', expiresAt: new Date(Date.now() + 3600e3).toISOString(),
    })));
    await page.reload();
    await page.waitForSelector('#cart-empty:not([hidden])');
    await until('the dead cart to be forgotten', async () => (await stored(page)) === null);
    assert.equal(await page.locator('#notices .notice').count(), 0, 'no message about it');
    await page.evaluate(() => localStorage.setItem('marquee.cart', JSON.stringify({
      cart: 'c_old', token: 'x', expiresAt: new Date(Date.now() - 1000).toISOString(),
    })));
    await page.reload();
    await until('the expired cart to be forgotten', async () => (await stored(page)) === null);
    await page.waitForSelector('#cart-empty:not([hidden])');
    // And a new one works.
    await until('the count', async () => /^\d+$/.test((await page.textContent('#ga-available')).trim()));
    await page.click('#add-ga');
    await lineOf(page, 'open-air').waitFor({ timeout: LIVE_TIMEOUT_MS });
    assert.ok((await stored(page))?.cart?.startsWith('c_'));
  });
});

describe('a page left open', { timeout: 90_000 }, () => {
  let short;
  let sleeper;
  let ctx;
  before(async () => {
    const dir = path.join(tmp, 'short');
    await fs.mkdir(dir);
    short = new Server(SERVER, dir, await freePort(), ['--hold-seconds', '10']);
    await short.ready();
    ctx = await launch(chromium, dir);
    sleeper = ctx.pages()[0] || await ctx.newPage();
    watchPage(sleeper, problems);
    await sleeper.goto(short.base + '/');
    await openEvent(sleeper, 'breakfast-ii');
  });
  after(async () => {
    await ctx?.close().catch(() => {});
    await short?.stop().catch(() => {});
  });

  test('a hold that expired while the tab was frozen is gone when it wakes', async () => {
    await sleeper.click('#C4');
    await sleeper.click('#add-seats');
    await sleeper.waitForSelector('#C4.seat--mine');
    const cdp = await ctx.newCDPSession(sleeper);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    try {
      await until('the server to release C4', async () => (await short.availability('breakfast-ii')).seats.C4 === 'available', 20_000, 250);
    } finally {
      await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    }
    await sleeper.waitForSelector('#C4[data-state="available"]:not(.seat--mine)', { timeout: LIVE_TIMEOUT_MS });
    await sleeper.waitForSelector('#cart-empty:not([hidden])', { timeout: LIVE_TIMEOUT_MS });
    assert.equal(await sleeper.locator('#cart-list .cart-item').count(), 0);
  });

  test('the channel reconnects after the server was away and shows what changed meanwhile', async () => {
    await short.stop();
    await sleeper.waitForSelector('#connection[data-connection="reconnecting"]', { timeout: LIVE_TIMEOUT_MS });
    short.start();
    await short.ready();
    await short.holdElsewhere({ event: 'breakfast-ii', seats: ['D2'] });
    // Backoff is capped at 10 s; the server was away for about a second.
    await sleeper.waitForSelector('#connection[data-connection="live"]', { timeout: 15_000 });
    await sleeper.waitForSelector('#D2[data-state="held"]', { timeout: LIVE_TIMEOUT_MS });
  });
});

test('no Content Security Policy violations or script errors', () => {
  assert.deepEqual(problems, []);
});
