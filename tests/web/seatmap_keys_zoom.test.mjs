// The seat map by keyboard, zoom and pan, and on a phone, in headless
// Chromium against the real marquee-server (--demo, breakfast-ii).
//
//   MARQUEE_SERVER=path/to/marquee-server node seatmap_keys_zoom.test.mjs
//   MARQUEE_WEB_DIR=resources/web   the page's files from disk (support.mjs)
//   MARQUEE_SCREENSHOT_DIR=resources/screenshots   also saves
//       web-seatmap-desktop.png and web-seatmap-phone.png there
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
const SCREENSHOT_DIR = process.env.MARQUEE_SCREENSHOT_DIR;
const SERVER = serverBinary();
watchdog(140);

let tmp;
let server;
let desktop;
let page;
const problems = [];

const focusedId = (target) => target.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
const viewBox = (target) => target.$eval('#seatmap svg.plan', (svg) => svg.getAttribute('viewBox').split(/\s+/).map(Number));

/** Is the element's box inside the plan's box on screen (what the customer sees)? */
function insidePlan(target, selector) {
  return target.evaluate((sel) => {
    const seat = document.querySelector(sel).getBoundingClientRect();
    const plan = document.querySelector('#seatmap svg.plan').getBoundingClientRect();
    return seat.left >= plan.left - 0.5 && seat.right <= plan.right + 0.5
      && seat.top >= plan.top - 0.5 && seat.bottom <= plan.bottom + 0.5;
  }, selector);
}

before(async () => {
  tmp = await tempDir();
  server = new Server(SERVER, tmp, await freePort());
  await server.ready();
  desktop = await launch(chromium, tmp);
  page = desktop.pages()[0] || await desktop.newPage();
  watchPage(page, problems);
  await page.goto(server.base + '/');
  await openEvent(page, 'breakfast-ii');
  await page.waitForSelector('#seatmap circle.seat[data-state="available"]');
});

after(async () => {
  await desktop?.close().catch(() => {});
  await server?.stop().catch(() => {});
  if (tmp) await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
});

describe('seat map on a desktop', { timeout: 60_000 }, () => {
  test('the plan is one Tab stop; arrow keys move inside it; Enter and Space toggle', async () => {
    const seats = await page.locator('#seatmap circle.seat').count();
    assert.ok(seats >= 100, `a real plan (${seats} seats)`);
    assert.equal(await page.locator('#seatmap [tabindex="0"]').count(), 1, 'exactly one seat in the Tab order');

    // The control before the plan, then Tab: into the plan, Tab again: out.
    await page.focus('#zoom-in');
    await page.keyboard.press('Tab');
    const first = await focusedId(page);
    assert.match(first, /^[A-Z]\d+$/, `Tab lands on a seat (got ${first})`);
    assert.equal(await page.$eval(`#${first}`, (el) => el.dataset.state), 'available', 'the Tab stop is a free seat');
    await page.keyboard.press('Tab');
    assert.doesNotMatch(await focusedId(page), /^[A-Z]\d+$/, 'one Tab leaves the plan');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focusedId(page), first, 'Shift+Tab comes back to the same seat');

    // A2 is the first free seat of the demo plan (A1 is not for sale).
    assert.equal(first, 'A2');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focusedId(page), 'A3');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedId(page), 'B3');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await focusedId(page), 'B2');
    assert.equal(await page.locator('#seatmap [tabindex="0"]').count(), 1, 'the Tab stop moved with the focus');
    assert.equal(await page.getAttribute('#B2', 'tabindex'), '0');

    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('#B2', 'aria-checked'), 'true');
    assert.match(await page.getAttribute('#B2', 'aria-label'), /^Row B, seat 2, Stalls, €45\.00, selected$/);
    await page.keyboard.press(' ');
    assert.equal(await page.getAttribute('#B2', 'aria-checked'), 'false');
    assert.match(await page.getAttribute('#B2', 'aria-label'), /^Row B, seat 2, Stalls, €45\.00, available$/);
    await page.keyboard.press('Space');
    assert.equal(await page.getAttribute('#B2', 'aria-checked'), 'true');

    // "Add to cart" is two Tab presses away (Clear, then Add), not 111.
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'clear-selection');
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'add-seats');

    // Seats that cannot be bought are reachable (to hear their state) but do not toggle.
    await page.focus('#B2');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Home');
    assert.equal(await focusedId(page), 'A1');
    assert.match(await page.getAttribute('#A1', 'aria-label'), /^Row A, seat 1, .*not for sale$/);
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('#A1', 'aria-checked'), 'false');
  });

  test('a seat focused from the keyboard has a visible focus ring', async () => {
    await page.focus('#B2');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focusedId(page), 'B3');
    const ring = await page.$eval('#B3', (el) => {
      const style = getComputedStyle(el);
      return { focusVisible: el.matches(':focus-visible'), stroke: style.stroke, width: parseFloat(style.strokeWidth) };
    });
    assert.ok(ring.focusVisible, 'the seat matches :focus-visible');
    assert.equal(ring.stroke, 'rgb(29, 78, 216)', 'the focus colour, not a state colour');
    assert.ok(ring.width >= 3, `a thick ring (${ring.width})`);
  });

  test('buttons, the wheel and + / - zoom; the arrow keys keep the focused seat in view', async () => {
    const [, , fullWidth] = await viewBox(page);
    assert.equal(await page.isDisabled('#zoom-out'), true, 'nothing to zoom out of at first');
    await page.click('#zoom-in');
    const [, , zoomedWidth] = await viewBox(page);
    assert.ok(zoomedWidth < fullWidth * 0.8, `the button zooms in (${fullWidth} -> ${zoomedWidth})`);
    assert.equal(await page.isDisabled('#zoom-out'), false);
    await page.click('#zoom-reset');
    assert.equal((await viewBox(page))[2], fullWidth, 'Fit shows the whole plan again');

    // Keyboard: + zooms around the focused seat, which stays on screen.
    await page.focus('#E8');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    assert.ok((await viewBox(page))[2] < fullWidth / 2, 'two presses of + zoom in');
    assert.ok(await insidePlan(page, '#E8'), 'the focused seat is still visible');
    // Walk to the end of the row: the view follows the focus.
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await focusedId(page), 'E16');
    assert.ok(await insidePlan(page, '#E16'), 'the view panned to the focused seat');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await focusedId(page), 'J16');
    assert.ok(await insidePlan(page, '#J16'), 'and down the rows');
    await page.keyboard.press('-');
    await page.keyboard.press('0');
    assert.equal((await viewBox(page))[2], fullWidth, '0 shows the whole plan');

    // The wheel zooms around the pointer: the seat under it stays under it.
    const box = await page.locator('#C5').boundingBox();
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.wheel(0, -400);
    await until('the wheel to zoom in', async () => (await viewBox(page))[2] < fullWidth * 0.8);
    const after = await page.locator('#C5').boundingBox();
    assert.ok(Math.abs(after.x + after.width / 2 - x) < after.width / 2, 'C5 is still under the pointer');
    assert.ok(after.width > box.width * 1.2, 'and bigger');
  });

  test('dragging pans the plan and does not select the seat it ends on', async () => {
    const before = await viewBox(page);
    const box = await page.locator('#seatmap svg.plan').boundingBox();
    const selected = await page.locator('#seatmap circle.seat--selected').count();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 80, box.y + box.height / 2 - 40, { steps: 8 });
    await page.mouse.up();
    const afterDrag = await viewBox(page);
    assert.ok(afterDrag[0] > before[0] || afterDrag[1] > before[1], `the view moved (${before} -> ${afterDrag})`);
    assert.equal(await page.locator('#seatmap circle.seat--selected').count(), selected, 'a drag is not a click');
    await page.click('#zoom-reset');
  });

  test('desktop layout: the cart is a column beside the plan', async () => {
    const plan = await page.locator('#seated').boundingBox();
    const cart = await page.locator('.cart').boundingBox();
    assert.ok(cart.x >= plan.x + plan.width, 'the cart is to the right of the plan');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no sideways scrolling');
  });
});

if (SCREENSHOT_DIR) {
  test('screenshot: desktop, with seats sold, held, in the cart and selected', { timeout: 30_000 }, async () => {
    const shot = await desktop.newPage();
    try {
      await shot.goto(`${server.base}/#/breakfast-ii`);
      await shot.waitForSelector('#connection[data-connection="live"]');
      await shot.waitForSelector('#seatmap circle.seat[data-state]');
      const free = (await server.availability('breakfast-ii')).seats;
      const pick = (labels) => labels.filter((l) => free[l] === 'available');
      // Sold at the counter by the demo clerk (its password is printed once).
      const clerk = /user clerk, password (\S+)/.exec(server.log)?.[1];
      const session = clerk && (await server.call('POST', '/api/v1/session', { body: { user: 'clerk', password: clerk } })).body?.token;
      if (session && pick(['C7', 'C8', 'C9']).length) {
        const { cart } = await server.holdElsewhere({ event: 'breakfast-ii', seats: pick(['C7', 'C8', 'C9']) });
        await server.call('POST', '/api/v1/counter/sales', {
          body: { cart: cart.cart, payment: 'cash' }, token: session, headers: { 'Idempotency-Key': `shot-${Date.now()}` },
        });
      }
      for (const labels of [['B3', 'B4'], ['E12'], ['F5', 'F6']]) {
        if (pick(labels).length) await server.holdElsewhere({ event: 'breakfast-ii', seats: pick(labels) });
      }
      for (const label of pick(['D7', 'D8'])) await shot.click(`#${label}`);
      await shot.click('#add-seats');
      await shot.waitForSelector('#cart-list .cart-item');
      for (const label of pick(['F9', 'F10'])) await shot.click(`#${label}`);
      await until('notices to be gone', async () => {
        for (const close of await shot.$$('.notice__close')) await close.click().catch(() => {});
        return (await shot.locator('.notice').count()) === 0;
      });
      await shot.mouse.move(0, 0);
      await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
      await shot.screenshot({ path: path.join(SCREENSHOT_DIR, 'web-seatmap-desktop.png') });
    } finally {
      await shot.close();
    }
  });
}

describe('seat map on a 390×844 phone', { timeout: 60_000 }, () => {
  let phone;
  let mobile;
  before(async () => {
    phone = await launch(chromium, `${tmp}/phone`, {
      viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2,
    });
    mobile = phone.pages()[0] || await phone.newPage();
    watchPage(mobile, problems);
    await mobile.goto(`${server.base}/#/breakfast-ii`);
    await mobile.waitForSelector('#connection[data-connection="live"]', { timeout: LIVE_TIMEOUT_MS });
    await mobile.waitForSelector('#seatmap circle.seat[data-state="available"]');
  });
  after(async () => { await phone?.close().catch(() => {}); });

  test('a tap on a small plan zooms until seats are finger-sized; the next tap selects', async () => {
    const label = 'G8';
    const small = await mobile.locator(`#${label}`).boundingBox();
    assert.ok(small.width < 44, `seats start smaller than a finger (${small.width.toFixed(1)} px)`);
    await mobile.locator(`#${label}`).tap();
    await until('the plan to zoom in on the tap', async () => (await mobile.locator(`#${label}`).boundingBox()).width >= 44);
    assert.equal(await mobile.getAttribute(`#${label}`, 'aria-checked'), 'false', 'the zooming tap selects nothing');
    const big = await mobile.locator(`#${label}`).boundingBox();
    assert.ok(big.width >= 44, `now ${big.width.toFixed(1)} CSS px wide`);
    assert.ok(await insidePlan(mobile, `#${label}`), 'the tapped seat is on screen');
    await mobile.locator(`#${label}`).tap();
    await mobile.waitForSelector(`#${label}[aria-checked="true"]`);
  });

  test('one finger drags the zoomed plan; two fingers pinch', async () => {
    const cdp = await phone.newCDPSession(mobile);
    const box = await mobile.locator('#seatmap svg.plan').boundingBox();
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });

    const before = await viewBox(mobile);
    await touch('touchStart', [{ x: cx, y: cy, id: 1 }]);
    for (let i = 1; i <= 6; i++) await touch('touchMove', [{ x: cx - i * 12, y: cy, id: 1 }]);
    await touch('touchEnd', []);
    const dragged = await viewBox(mobile);
    assert.ok(dragged[0] > before[0], `one finger panned (${before[0]} -> ${dragged[0]})`);

    await mobile.click('#zoom-reset');
    const full = await viewBox(mobile);
    await touch('touchStart', [{ x: cx - 20, y: cy, id: 1 }, { x: cx + 20, y: cy, id: 2 }]);
    for (let i = 1; i <= 6; i++) {
      await touch('touchMove', [{ x: cx - 20 - i * 12, y: cy, id: 1 }, { x: cx + 20 + i * 12, y: cy, id: 2 }]);
    }
    await touch('touchEnd', []);
    const pinched = await viewBox(mobile);
    assert.ok(pinched[2] < full[2] * 0.6, `two fingers zoomed in (${full[2]} -> ${pinched[2]})`);
  });

  test('after "Add to cart" the cart and its countdown are scrolled into view', async () => {
    await mobile.waitForSelector('#seatmap circle.seat--selected');
    await mobile.evaluate(() => window.scrollTo(0, 0));
    const timerBelow = await mobile.evaluate(() => document.querySelector('.cart').getBoundingClientRect().top > innerHeight);
    assert.ok(timerBelow, 'the cart starts below the fold on a phone');
    await mobile.locator('#add-seats').tap();
    const timer = mobile.locator('#cart-list .cart-item .timer__value');
    await timer.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await until('the countdown to be on screen', () => mobile.evaluate(() => {
      const box = document.querySelector('#cart-list .timer__value').getBoundingClientRect();
      return box.top >= 0 && box.bottom <= innerHeight && /^\d+:\d\d$/.test(document.querySelector('#cart-list .timer__value').textContent);
    }));
  });

  test('from 360 px wide: nothing scrolls sideways, targets are finger-sized', async () => {
    for (const width of [360, 390]) {
      await mobile.setViewportSize({ width, height: 740 });
      await until(`layout at ${width} px`, () => mobile.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
      for (const selector of ['#zoom-in', '#zoom-out', '#zoom-reset', '#add-seats']) {
        const box = await mobile.locator(selector).boundingBox();
        assert.ok(box.width >= 44 && box.height >= 42, `${selector} is ${box.width}×${box.height} at ${width} px`);
        assert.ok(box.x >= 0 && box.x + box.width <= width, `${selector} fits across at ${width} px`);
      }
      const plan = await mobile.locator('#seatmap svg.plan').boundingBox();
      assert.ok(plan.x >= 0 && plan.x + plan.width <= width, 'the plan fits across');
    }
  });

  if (SCREENSHOT_DIR) {
    test('screenshot: phone, with a seat in the cart', async () => {
      await phoneScreenshot(mobile);
    });
  }
});

async function phoneScreenshot(mobile) {
  await mobile.setViewportSize({ width: 390, height: 844 });
  await until('notices to be gone', async () => {
    for (const close of await mobile.$$('.notice__close')) await close.click().catch(() => {});
    return (await mobile.locator('.notice').count()) === 0;
  });
  // The whole plan with the seat in the cart, the action bar and the legend.
  if (!(await mobile.isDisabled('#zoom-reset'))) await mobile.click('#zoom-reset');
  await mobile.evaluate(() => document.getElementById('seated').scrollIntoView({ block: 'start' }));
  await mobile.waitForSelector('#seatmap circle.seat--mine');
  await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
  await mobile.screenshot({ path: path.join(SCREENSHOT_DIR, 'web-seatmap-phone.png') });
}

test('no Content Security Policy violations or script errors', () => {
  assert.deepEqual(problems, []);
});
