// Shared pieces of the browser tests: a real marquee-server on a free port
// with a fresh SQLite database, Debian's Chromium through playwright-core,
// and waiting on conditions (never fixed sleeps).
//
//   MARQUEE_SERVER=path/to/marquee-server   the binary under test
//   MARQUEE_WEB_DIR=resources/web           serve the page's files from this
//       folder instead of the copy compiled into the binary (the security
//       headers still come from the server), for working on the page
//       without rebuilding the server

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.MARQUEE_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ...webDirArgs(),
];

/**
 * A page fulfilled by the test (MARQUEE_WEB_DIR) has no server address, so
 * Chromium's Local Network Access check would block its ws://127.0.0.1
 * channel as a public page reaching into the local network.
 */
export function webDirArgs() {
  return process.env.MARQUEE_WEB_DIR ? ['--disable-features=LocalNetworkAccessChecks'] : [];
}
export const LIVE_TIMEOUT_MS = 5_000;
const STARTUP_TIMEOUT_MS = 30_000;

export async function loadChromium() {
  try {
    return (await import('playwright-core')).chromium;
  } catch {
    console.error('playwright-core is not installed: run `npm ci` in tests/web first.');
    process.exit(1);
  }
}

export function serverBinary() {
  const binary = process.argv[2] || process.env.MARQUEE_SERVER;
  if (!binary) {
    console.error('Give the marquee-server binary as the first argument or in MARQUEE_SERVER.');
    process.exit(1);
  }
  return binary;
}

export function freePort() {
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

export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls fn until it returns a truthy value; throws with `what` on timeout. */
export async function until(what, fn, timeoutMs = LIVE_TIMEOUT_MS, intervalMs = 50) {
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

const running = new Set();
function killAll() {
  for (const server of running) if (!server.exited) server.process.kill('SIGKILL');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => { killAll(); process.exit(1); });
}

/** Gives up (and kills the servers) before ctest's timeout would SIGKILL us. */
export function watchdog(seconds) {
  setTimeout(() => {
    console.error(`web test watchdog: giving up after ${seconds} s`);
    killAll();
    process.exit(1);
  }, seconds * 1000).unref();
}

export class Server {
  /** extraArgs e.g. ['--hold-seconds', '12']; the same db and port may be reused after stop(). */
  constructor(binary, dir, port, extraArgs = []) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
    this.extraArgs = extraArgs;
    this.base = `http://127.0.0.1:${port}`;
    this.log = '';
    this.start();
  }

  start() {
    this.exited = null;
    this.process = spawn(this.binary, [
      '--db', `sqlite:${path.join(this.dir, 'm.db')}`, '--demo', '--listen', `127.0.0.1:${this.port}`,
      ...this.extraArgs,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(this);
    for (const stream of [this.process.stdout, this.process.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => { this.log += chunk; });
    }
    this.exitPromise = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        this.exited = { code, signal };
        running.delete(this);
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

  async call(method, route, { body, token, headers: extra = {} } = {}) {
    const headers = { ...extra };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
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
    return created.body;
  }

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

export async function tempDir() {
  return fs.mkdtemp(path.join(os.tmpdir(), 'marquee-web-'));
}

/** A browser with its own profile in dir; options as for launchPersistentContext. */
export async function launch(chromium, dir, options = {}) {
  const context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    ...options,
  });
  await serveWebDir(context);
  return context;
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

const securityHeaders = new Map();   // origin -> Promise of headers

/** See MARQUEE_WEB_DIR above. */
export async function serveWebDir(context) {
  const dir = process.env.MARQUEE_WEB_DIR;
  if (!dir) return;
  await context.route(/^https?:\/\/127\.0\.0\.1:\d+\/([^/?#]*)(\?.*)?$/, async (route) => {
    const url = new URL(route.request().url());
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const ext = path.extname(name);
    if (!MIME[ext]) return route.continue();
    let body;
    try { body = await fs.readFile(path.join(dir, name)); } catch { return route.continue(); }
    // The server's own answer for "/" carries its security headers (CSP);
    // asked once per server, so the files come about as fast as from it.
    if (!securityHeaders.has(url.origin)) {
      securityHeaders.set(url.origin, route.fetch({ url: `${url.origin}/` }).then((real) => real.headers()));
    }
    const headers = { ...(await securityHeaders.get(url.origin)), 'content-type': MIME[ext] };
    delete headers['content-length'];
    await route.fulfill({ status: 200, headers, body });
  });
  // A redirect is followed inside the network stack, where routes do not
  // see it: the test provider's 303 to /order.html would fetch the binary's
  // copy of the page. The 303 is turned into a page that sends the browser
  // on at once (the same address, fragment included), which it then asks
  // for anew, through the route above.
  await context.route(/^https?:\/\/127\.0\.0\.1:\d+\/pay\//, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch({ maxRedirects: 0 });
    const location = response.headers().location;
    if (response.status() < 300 || response.status() >= 400 || !location) return route.fulfill({ response });
    const target = location.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    const headers = { ...response.headers(), 'content-type': 'text/html; charset=utf-8' };
    delete headers.location;
    delete headers['content-length'];
    await route.fulfill({
      status: 200,
      headers,
      body: `<!doctype html><meta http-equiv="refresh" content="0;url=${target}">`,
    });
  });
}

/** Collects CSP violations and uncaught errors of a page into problems. */
export function watchPage(page, problems) {
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
}

export async function openEvent(page, slug) {
  await page.click(`[data-slug="${slug}"]`);
  await page.waitForSelector(`[data-slug="${slug}"][aria-current="page"]`);
  await page.waitForSelector('#connection[data-connection="live"]', { timeout: LIVE_TIMEOUT_MS });
}
