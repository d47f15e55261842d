// Browser test of the customer page against the real marquee-server.
//
// Starts `marquee-server --demo` on a free port with a fresh SQLite database,
// drives Debian's Chromium through playwright-core, and checks that changes
// made elsewhere (through the API, as another customer or a counter would)
// reach the open page live, without a reload.
//
//   node seat_live.test.mjs [path/to/marquee-server]
//   MARQUEE_SERVER=path/to/marquee-server node seat_live.test.mjs
//   MARQUEE_SCREENSHOT=out.png  also saves a screenshot of breakfast-ii
//   MARQUEE_WEB_DIR=resources/web  the page's files from disk (support.mjs)
//   MARQUEE_WEB_TLS=1  the same over HTTPS and WSS (--tls-cert/--tls-key with
//                      a self-signed certificate made by openssl for the run)
//
// Waits are always conditions with timeouts, never fixed sleeps.

import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serveWebDir, webDirArgs } from './support.mjs';

const SERVER = process.argv[2] || process.env.MARQUEE_SERVER;
const SCREENSHOT = process.env.MARQUEE_SCREENSHOT;
const TLS = process.env.MARQUEE_WEB_TLS === '1';
// This process's own calls accept the run's self-signed certificate; the
// browser is told to as well (ignoreHTTPSErrors). What is tested is the page
// on https:// — its wss:// channel under the CSP — not certificate checks.
if (TLS) process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
const CHROMIUM = process.env.MARQUEE_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ...webDirArgs(),
];
const LIVE_TIMEOUT_MS = 5_000;   // a committed change must reach the page within this
const STARTUP_TIMEOUT_MS = 30_000;

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.error('playwright-core is not installed: run `npm ci` in tests/web first.');
  process.exit(1);
}
if (!SERVER) {
  console.error('Give the marquee-server binary as the first argument or in MARQUEE_SERVER.');
  process.exit(1);
}

// ---------------------------------------------------------------- helpers

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls fn until it returns a truthy value; throws with `what` on timeout. */
async function until(what, fn, timeoutMs = LIVE_TIMEOUT_MS, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})`);
    await delay(intervalMs);
  }
}

/** A self-signed certificate for 127.0.0.1 in dir; the server arguments for it. */
function selfSignedArguments(dir) {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return ['--tls-cert', cert, '--tls-key', key];
}

class Server {
  constructor(binary, dir, port) {
    this.base = `${TLS ? 'https' : 'http'}://127.0.0.1:${port}`;
    this.log = '';
    this.exited = null;
    this.process = spawn(binary, [
      '--db', `sqlite:${path.join(dir, 'm.db')}`, '--demo', '--listen', `127.0.0.1:${port}`,
      ...(TLS ? selfSignedArguments(dir) : []),
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.process.stdout, this.process.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => { this.log += chunk; });
    }
    this.exitPromise = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        this.exited = { code, signal };
        resolve();
      });
      this.process.on('error', (error) => {
        this.exited = { error };
        this.log += `\nspawn failed: ${error.message}`;
        resolve();
      });
    });
  }

  async ready() {
    await until('GET /api/v1/events to answer', async () => {
      if (this.exited) throw new Error(`marquee-server exited early: ${JSON.stringify(this.exited)}\n${this.log}`);
      const response = await fetch(`${this.base}/api/v1/events`);
      return response.ok && Array.isArray(await response.json());
    }, STARTUP_TIMEOUT_MS, 100).catch((error) => {
      if (this.exited) throw new Error(`marquee-server exited early: ${JSON.stringify(this.exited)}\n${this.log}`);
      throw error;
    });
  }

  async stop() {
    if (this.exited) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5_000);
    await this.exitPromise;
    clearTimeout(timer);
  }

  async call(method, route, { body, token, idempotencyKey } = {}) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const response = await fetch(`${this.base}${route}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = text; }
    return { status: response.status, body: json };
  }

  async newCart() {
    const created = await this.call('POST', '/api/v1/carts');
    assert.equal(created.status, 201, `POST /api/v1/carts: ${JSON.stringify(created.body)}`);
    assert.ok(created.body.cart && created.body.token, 'a cart id and token');
    return created.body;
  }

  /** Holds through a fresh cart, as another customer would. */
  async holdElsewhere(body) {
    const cart = await this.newCart();
    const held = await this.call('POST', `/api/v1/carts/${cart.cart}/holds`, { body, token: cart.token });
    assert.equal(held.status, 201, `POST holds ${JSON.stringify(body)}: ${held.status} ${JSON.stringify(held.body)}`);
    return { cart, hold: held.body };
  }

  async availability(slug) {
    const got = await this.call('GET', `/api/v1/events/${slug}/availability`);
    assert.equal(got.status, 200, `GET availability: ${JSON.stringify(got.body)}`);
    return got.body;
  }
}

// ---------------------------------------------------------------- fixture

// Never leave a server behind: not on a signal, not when ctest's 120 s
// timeout approaches (ctest kills with SIGKILL, which nothing can catch).
function killServerNow() {
  if (server && !server.exited) server.process.kill('SIGKILL');
}
process.on('exit', killServerNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => { killServerNow(); process.exit(1); });
}
setTimeout(() => {
  console.error('web test watchdog: giving up after 110 s');
  killServerNow();
  process.exit(1);
}, 110_000).unref();

let tmp;
let server;
let context;
let page;
const problems = [];      // CSP violations and uncaught page errors
const sockets = [];       // {url, closed} of every WebSocket the pages opened

async function openEvent(target, slug) {
  await target.click(`[data-slug="${slug}"]`);
  await target.waitForSelector(`[data-slug="${slug}"][aria-current="page"]`);
  await target.waitForSelector('#connection[data-connection="live"]', { timeout: LIVE_TIMEOUT_MS });
}

function watchPage(target) {
  target.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  target.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  target.on('websocket', (ws) => {
    const entry = { url: ws.url(), closed: false };
    ws.on('close', () => { entry.closed = true; });
    sockets.push(entry);
  });
}

before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'marquee-web-'));
  server = new Server(SERVER, tmp, await freePort());
  await server.ready();
  context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    ignoreHTTPSErrors: TLS,
  });
  await serveWebDir(context);
  page = context.pages()[0] || await context.newPage();
  watchPage(page);
  await page.goto(server.base + '/');
});

after(async () => {
  // Everything here must run even when a test failed half-way.
  await context?.close().catch((error) => console.error('closing the browser:', error));
  await server?.stop().catch((error) => console.error('stopping the server:', error));
  if (tmp) await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
});

// ---------------------------------------------------------------- tests

describe('customer page', { timeout: 90_000 }, () => {
  test('lists the demo events', async () => {
    await page.waitForSelector('[data-slug="breakfast-ii"]');
    await page.waitForSelector('[data-slug="open-air"]');
  });

  test('a seat held elsewhere turns unavailable without a reload', async () => {
    await openEvent(page, 'breakfast-ii');
    const seat = await page.waitForSelector('#A5[data-state="available"]', { timeout: LIVE_TIMEOUT_MS });
    assert.match(await seat.getAttribute('aria-label'), /^Row A, seat 5, .+, available$/);
    // The plan is one Tab stop (roving tabindex): one seat has tabindex 0.
    assert.equal(await page.locator('#seatmap [tabindex="0"]').count(), 1);
    assert.ok(await seat.evaluate((el) => el.classList.contains('seat--available')));

    // A marker that a reload would wipe out.
    await page.evaluate(() => { window.__marqueeNoReload = true; });
    await server.holdElsewhere({ event: 'breakfast-ii', seats: ['A5'] });

    await page.waitForSelector('#A5[data-state="held"]', { timeout: LIVE_TIMEOUT_MS });
    assert.ok(await seat.evaluate((el) => el.classList.contains('seat--held')));
    assert.equal(await seat.getAttribute('aria-disabled'), 'true');
    assert.equal(await page.evaluate(() => window.__marqueeNoReload), true, 'the page was reloaded');

    // An unavailable seat does not select.
    await seat.click({ force: true });
    assert.equal(await seat.getAttribute('aria-checked'), 'false');
    assert.equal(await page.locator('#seatmap circle.seat--selected').count(), 0);
  });

  test('a selected seat taken elsewhere is marked, blocks "Add", and its notice goes with it', async () => {
    const label = await page.$eval('circle.seat[data-state="available"]', (el) => el.id);
    await page.click(`#${label}`);
    await page.waitForSelector(`#${label}.seat--selected[aria-checked="true"]`);
    await server.holdElsewhere({ event: 'breakfast-ii', seats: [label] });
    await page.waitForSelector(`#${label}[data-state="held"].seat--selected.seat--taken`, { timeout: LIVE_TIMEOUT_MS });
    await page.waitForSelector(`.notice:has-text("${label}")`, { timeout: LIVE_TIMEOUT_MS });
    assert.equal(await page.isDisabled('#add-seats'), true);
    // Taking it out of the selection makes the notice obsolete: it goes.
    await page.click(`#${label}`);
    await page.waitForSelector(`#${label}[data-state="held"]:not(.seat--selected)`);
    await page.waitForSelector('.notice', { state: 'detached', timeout: LIVE_TIMEOUT_MS });
  });

  test('clicking a seat and "Add to cart" holds it', async () => {
    const label = await page.$eval('circle.seat[data-state="available"]', (el) => el.id);
    await page.click(`#${label}`);
    await page.waitForSelector(`#${label}.seat--selected`);
    await page.click('#add-seats');

    await until(`the server to report ${label} held`,
      async () => (await server.availability('breakfast-ii')).seats?.[label] === 'held');
    await page.waitForSelector(`#${label}[data-state="held"].seat--mine`, { timeout: LIVE_TIMEOUT_MS });
    const item = page.locator('#cart-list .cart-item', { hasText: label });
    await item.waitFor({ timeout: LIVE_TIMEOUT_MS });
    assert.match(await item.locator('.timer__value').innerText(), /^\d+:\d\d$/);
    // Checkout opens once something is held (purchase.test.mjs goes on from here).
    assert.equal(await page.isDisabled('#checkout'), false);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('marquee.cart')));
    assert.ok(stored?.cart && stored?.token, 'the cart and its token are kept in localStorage');
  });

  test('general admission count drops by exactly the quantity held elsewhere', async () => {
    await openEvent(page, 'open-air');
    assert.equal(await page.locator('#seatmap circle.seat').count(), 0, 'the seat map of the previous event is gone');
    await until('the breakfast-ii channel to close after switching events', () =>
      sockets.some((s) => s.url.endsWith('/events/open-air/messages'))
      && sockets.filter((s) => s.url.endsWith('/events/breakfast-ii/messages')).every((s) => s.closed));
    const scheme = TLS ? 'wss://' : 'ws://';
    assert.ok(sockets.every((s) => s.url.startsWith(scheme)),
      `every channel on ${scheme}: ${sockets.map((s) => s.url).join(', ')}`);

    const before = Number(await until('#ga-available to show a number', async () => {
      const text = (await page.textContent('#ga-available')).trim();
      return /^\d+$/.test(text) && text;
    }));
    const capacity = Number((await page.textContent('#ga-capacity')).trim());
    assert.ok(capacity >= before && before >= 3, `room for the test (${before} of ${capacity})`);

    await server.holdElsewhere({ event: 'open-air', quantity: 3 });
    await page.waitForFunction((expected) => document.getElementById('ga-available').textContent.trim() === String(expected),
      before - 3, { timeout: LIVE_TIMEOUT_MS });
    const snapshot = await server.availability('open-air');
    assert.equal(snapshot.available, before - 3);
  });

  test('no Content Security Policy violations or script errors', () => {
    assert.deepEqual(problems, []);
  });

  if (SCREENSHOT) {
    test('screenshot of breakfast-ii', async () => {
      await takeScreenshot(SCREENSHOT);
    });
  }
});

/** A fresh tab with breakfast-ii open, some seats sold/held, a cart and a selection. */
async function takeScreenshot(file) {
  const shot = await context.newPage();
  watchPage(shot);
  try {
    await shot.setViewportSize({ width: 1280, height: 800 });
    await shot.goto(server.base + '/');
    await openEvent(shot, 'breakfast-ii');
    await shot.waitForSelector('#A5[data-state]');

    const free = async () => (await server.availability('breakfast-ii')).seats || {};
    let seats = await free();
    const pick = (labels) => labels.filter((l) => seats[l] === 'available');

    // Seats sold at the counter, by the demo clerk.
    const staff = await clerkSession(server);
    if (staff) {
      const cart = await server.newCart();
      const toSell = pick(['C7', 'C8', 'C9', 'C10', 'D8', 'D9']);
      if (toSell.length) {
        await server.call('POST', `/api/v1/carts/${cart.cart}/holds`, { body: { event: 'breakfast-ii', seats: toSell }, token: cart.token });
        const sale = await server.call('POST', '/api/v1/counter/sales', { body: { cart: cart.cart, payment: 'cash' }, token: staff, idempotencyKey: randomUUID() });
        if (sale.status !== 201) console.error(`counter sale for the screenshot: ${sale.status} ${JSON.stringify(sale.body)}`);
      }
    }
    seats = await free();
    const others = pick(['B3', 'B4', 'E12', 'F5', 'F6']);
    if (others.length) await server.holdElsewhere({ event: 'breakfast-ii', seats: others });

    seats = await free();
    for (const label of pick(['D6', 'D7'])) await shot.click(`#${label}`);
    if (await shot.locator('#seatmap circle.seat--selected').count()) {
      await shot.click('#add-seats');
      await shot.waitForSelector('#cart-list .cart-item');
    }
    seats = await free();
    for (const label of pick(['E9', 'E10'])) await shot.click(`#${label}`);

    await until('notices to be dismissed', async () => {
      for (const close of await shot.$$('.notice__close')) await close.click().catch(() => {});
      return (await shot.locator('.notice').count()) === 0;
    });
    await shot.mouse.move(0, 0);
    await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await shot.screenshot({ path: file });
    console.log(`screenshot saved to ${file}`);
  } finally {
    await shot.close();
  }
}

/** The demo clerk's session, signed in with the password the server printed. */
async function clerkSession(target) {
  const match = /Demo sign-in \(shown once\): user clerk, password (\S+)/.exec(target.log);
  if (!match) return null;
  const session = await target.call('POST', '/api/v1/session', { body: { user: 'clerk', password: match[1] } });
  return session.status === 201 || session.status === 200 ? session.body.token : null;
}
