// Shared pieces of the checkout browser tests (purchase, payment_outcomes,
// checkin_counter): buying on the page, the test provider's page, the order
// link, staff sign-in from --demo's output and a real SMTP sink. Builds on
// support.mjs; waits are conditions, never fixed sleeps.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { LIVE_TIMEOUT_MS, freePort, openEvent, until } from './support.mjs';

export const BUYER = { name: 'Ada Lovelace', email: 'ada@example.org' };

/** Selects `label` on the open page's plan (opening `slug` first) and adds it to the cart. */
export async function addSeat(page, slug, label) {
  if (!(await page.locator(`[data-slug="${slug}"][aria-current="page"]`).count())) await openEvent(page, slug);
  await page.waitForSelector(`#${label}[data-state="available"]`);
  await page.click(`#${label}`);
  await page.click('#add-seats');
  await page.waitForSelector(`#${label}.seat--mine`, { timeout: LIVE_TIMEOUT_MS });
}

/** Opens the checkout dialog and fills in the buyer (without sending). */
export async function fillCheckout(page, buyer = BUYER) {
  await page.click('#checkout');
  await page.waitForSelector('#checkout-dialog[open]');
  await page.fill('#buyer-name', buyer.name);
  await page.fill('#buyer-email', buyer.email);
}

/** Checkout through to the test provider's page; returns its URL. */
export async function checkoutToProvider(page, buyer = BUYER) {
  await fillCheckout(page, buyer);
  await Promise.all([page.waitForURL(/\/pay\/test\/p_/), page.click('#checkout-pay')]);
  return new URL(page.url());
}

/** Presses Pay on the provider's page; resolves on the order page. */
export async function pressPay(page) {
  await Promise.all([page.waitForURL(/\/order\.html\?/), page.click('form.decide button.pay')]);
  await page.waitForSelector('#order-head:not([hidden])');
  return orderLink(page.url());
}

/** {order, outcome, seats, key} of an order link. */
export function orderLink(href) {
  const url = new URL(href);
  return {
    order: url.searchParams.get('order'),
    outcome: url.searchParams.get('outcome'),
    seats: url.searchParams.get('seats'),
    key: new URLSearchParams(url.hash.slice(1)).get('key'),
    url,
  };
}

export async function seatState(server, slug, label) {
  return (await server.availability(slug)).seats[label];
}

/** A staff session from the passwords --demo prints once at first start. */
export async function staffToken(server, user = 'clerk') {
  const match = new RegExp(`Demo sign-in \\(shown once\\): user ${user}, password (\\S+)`).exec(server.log);
  assert.ok(match, `--demo printed ${user}'s password:\n${server.log}`);
  const session = await server.call('POST', '/api/v1/session', { body: { user, password: match[1] } });
  assert.equal(session.status, 201, `POST /api/v1/session: ${JSON.stringify(session.body)}`);
  return session.body.token;
}

/** A counter sale through the API, as the counter app makes it. */
export async function counterSale(server, token, body) {
  const cart = await server.call('POST', '/api/v1/carts', { token });
  assert.equal(cart.status, 201, `counter cart: ${JSON.stringify(cart.body)}`);
  const held = await server.call('POST', `/api/v1/carts/${cart.body.cart}/holds`, { token: cart.body.token, body });
  assert.equal(held.status, 201, `counter hold: ${JSON.stringify(held.body)}`);
  const sale = await server.call('POST', '/api/v1/counter/sales', {
    token, body: { cart: cart.body.cart, payment: 'cash' },
    headers: { 'Idempotency-Key': `sale-${Date.now()}-${Math.random()}` },
  });
  assert.equal(sale.status, 201, `counter sale: ${JSON.stringify(sale.body)}`);
  return sale.body;
}

/**
 * A real SMTP server (aiosmtpd, Debian's python3-aiosmtpd) that stores every
 * message it accepts as a file in `dir`/new (a Maildir).
 */
export class MailSink {
  static async start(dir) {
    const sink = new MailSink();
    sink.dir = dir;
    sink.port = await freePort();
    sink.log = '';
    sink.process = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${sink.port}`,
      '-c', 'aiosmtpd.handlers.Mailbox', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [sink.process.stdout, sink.process.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => { sink.log += chunk; });
    }
    sink.process.on('exit', (code) => { sink.exited = code ?? 'signal'; });
    process.on('exit', () => sink.stop());   // also when the watchdog gives up
    await until('the SMTP sink to accept connections', () => {
      if (sink.exited !== undefined) throw new Error(`aiosmtpd exited (${sink.exited}): ${sink.log}`);
      return new Promise((resolve) => {
        const socket = net.connect(sink.port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
        socket.on('error', () => resolve(false));
      });
    }, 15_000, 100);
    return sink;
  }

  get url() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The messages received so far, as text. */
  async messages() {
    const folder = path.join(this.dir, 'new');
    let names = [];
    try { names = await fs.readdir(folder); } catch { return []; }
    return Promise.all(names.sort().map((name) => fs.readFile(path.join(folder, name), 'utf8')));
  }

  stop() {
    if (this.exited === undefined) this.process.kill('SIGTERM');
  }
}

/** Quoted-printable soft breaks and escapes undone, so a link can be searched for. */
export function unquote(text) {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}
