// The whole online purchase in headless Chromium against the real
// marquee-server (--demo, --smtp to a real aiosmtpd sink): pick a seat, add
// it, check out with name and e-mail (checked in the page first), the test
// provider's page, Pay, the order page with the ticket and its QR code, the
// PDF, the confirmation mail — while a second customer's page sees the seat
// go held and then sold, live.
//
//   MARQUEE_SERVER=path/to/marquee-server node purchase.test.mjs
//   MARQUEE_WEB_DIR=resources/web            the page's files from disk (support.mjs)
//   MARQUEE_SCREENSHOT_DIR=resources/screenshots   also saves web-checkout.png,
//       web-checkout-phone.png, web-payment.png, web-order.png and
//       web-order-phone.png

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  LIVE_TIMEOUT_MS, Server, freePort, launch, loadChromium, openEvent, serverBinary, tempDir,
  until, watchPage, watchdog,
} from './support.mjs';
import { BUYER, MailSink, addSeat, checkoutToProvider, fillCheckout, pressPay, unquote } from './checkout_support.mjs';

const chromium = await loadChromium();
const SERVER = serverBinary();
const SCREENSHOT_DIR = process.env.MARQUEE_SCREENSHOT_DIR;
watchdog(110);

let tmp;
let sink;
let server;
let buyer;       // the customer who buys
let other;       // another customer, watching the same event
let page;
let watcher;
let link;        // the order link the payment page sent us to
const problems = [];
const requested = [];

async function shot(target, name) {
  if (SCREENSHOT_DIR) await target.screenshot({ path: path.join(SCREENSHOT_DIR, name) });
}

before(async () => {
  tmp = await tempDir();
  sink = await MailSink.start(path.join(tmp, 'mail'));
  server = new Server(SERVER, tmp, await freePort(), ['--smtp', sink.url]);
  await server.ready();
  buyer = await launch(chromium, path.join(tmp, 'a'));
  other = await launch(chromium, path.join(tmp, 'b'));
  page = buyer.pages()[0] || await buyer.newPage();
  watcher = other.pages()[0] || await other.newPage();
  watchPage(page, problems);
  watchPage(watcher, problems);
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(server.base + '/');
  await watcher.goto(server.base + '/#/breakfast-ii');
  await watcher.waitForSelector('#connection[data-connection="live"]');
});

after(async () => {
  await buyer?.close().catch(() => {});
  await other?.close().catch(() => {});
  await server?.stop().catch(() => {});
  sink?.stop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
});

describe('online purchase', { timeout: 90_000 }, () => {
  test('add a seat: the other customer sees it held at once', async () => {
    await addSeat(page, 'breakfast-ii', 'C7');
    await watcher.waitForSelector('#C7[data-state="held"]:not(.seat--mine)', { timeout: LIVE_TIMEOUT_MS });
    assert.equal(await page.isDisabled('#checkout'), false, 'Checkout is enabled with a seat in the cart');
  });

  test('checkout form: checked in the page, with the summary, total and live countdown', async () => {
    await page.click('#checkout');
    await page.waitForSelector('#checkout-dialog[open]');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'buyer-name', 'focus starts in the name field');
    assert.equal(await page.getAttribute('#buyer-name', 'autocomplete'), 'name');
    assert.equal(await page.getAttribute('#buyer-email', 'autocomplete'), 'email');
    const lines = await page.textContent('#checkout-lines');
    assert.match(lines, /Breakfast: A Sequel Called Lunch/);
    assert.match(lines, /C7/);
    assert.match(await page.textContent('#checkout-total'), /€45\.00/);
    const first = await page.textContent('#checkout-countdown');
    assert.match(first, /^\d+:\d\d$/);
    await until('the countdown to tick', async () => (await page.textContent('#checkout-countdown')) !== first, 3_000);

    // Nothing typed: both fields say what is missing, and nothing is sent.
    await page.keyboard.press('Enter');
    assert.match(await page.textContent('#buyer-name-error'), /enter your name/i);
    assert.match(await page.textContent('#buyer-email-error'), /e-mail/i);
    assert.equal(await page.getAttribute('#buyer-name', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'buyer-name', 'focus goes to the first problem');
    // Keyboard only: type, Tab, type a bad address; the message follows the typing.
    await page.keyboard.type(BUYER.name);
    await page.keyboard.press('Tab');
    await page.keyboard.type('ada@example');
    await page.keyboard.press('Enter');
    assert.equal(await page.textContent('#buyer-name-error'), '');
    assert.match(await page.textContent('#buyer-email-error'), /does not look like an e-mail address/);
    assert.ok(page.url().startsWith(server.base + '/'), 'still on the page');
    await page.keyboard.type('.org');
    assert.equal(await page.textContent('#buyer-email-error'), '', 'fixed while typing');
    await shot(page, 'web-checkout.png');

    // Escape closes it; the cart is untouched.
    await page.keyboard.press('Escape');
    await page.waitForSelector('#checkout-dialog:not([open])', { state: 'attached' });
    assert.match(await page.textContent('#cart-list'), /C7/);
  });

  test('on a 390×844 phone the checkout fills the screen, its button in reach', async () => {
    const phone = await buyer.newPage();   // the same cart, from localStorage
    watchPage(phone, problems);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(server.base + '/#/breakfast-ii');
    await phone.waitForSelector('#C7.seat--mine');
    await fillCheckout(phone);
    const layout = await phone.evaluate(() => {
      const dialog = document.getElementById('checkout-dialog').getBoundingClientRect();
      const pay = document.getElementById('checkout-pay').getBoundingClientRect();
      return { width: dialog.width, payBottom: pay.bottom, payHeight: pay.height, overflow: document.documentElement.scrollWidth - innerWidth };
    });
    assert.equal(layout.width, 390, 'the dialog is the screen\'s width');
    assert.ok(layout.payBottom <= 844, 'the pay button is on screen without scrolling');
    assert.ok(layout.payHeight < 60, `its label fits on one line (${layout.payHeight} px)`);
    if (SCREENSHOT_DIR) await phone.screenshot({ path: path.join(SCREENSHOT_DIR, 'web-checkout-phone.png') });
    await phone.close();
  });

  test('the test provider\'s page, styled by pay.css and marked as a test', async () => {
    await fillCheckout(page);
    await Promise.all([page.waitForURL(/\/pay\/test\/p_/), page.click('#checkout-pay')]);
    await page.waitForSelector('main.card form.decide button.pay');
    const look = await page.evaluate(() => ({
      pay: getComputedStyle(document.querySelector('button.pay')).backgroundColor,
      card: getComputedStyle(document.querySelector('main.card')).maxWidth,
      badge: getComputedStyle(document.querySelector('.brand'), '::after').content,
      stripe: getComputedStyle(document.body, '::before').content,
    }));
    assert.equal(look.pay, 'rgb(30, 58, 95)', 'pay.css is applied (the Pay button is the page\'s brand blue)');
    assert.equal(look.card, '440px');
    assert.match(look.badge, /Test mode/);
    assert.match(look.stripe, /no real payment/i);
    assert.match(await page.textContent('.amount'), /45\.00/);
    assert.match(await page.textContent('ul.items'), /C7/);
    await shot(page, 'web-payment.png');
  });

  test('Pay: the order page shows the ticket with a QR code large enough to scan', async () => {
    link = await pressPay(page);
    assert.equal(link.outcome, 'paid');
    assert.ok(link.key, 'the key is in the fragment');
    await page.waitForSelector('#order-head[data-outcome="paid"]');
    assert.equal(await page.textContent('#order-title'), 'You’re going!');
    assert.equal(await page.textContent('#order-payment'), 'Paid');
    const ticket = page.locator('.ticket');
    assert.equal(await ticket.count(), 1);
    const text = await ticket.textContent();
    for (const part of ['Breakfast: A Sequel Called Lunch', 'The Marquee Hall', 'C7', 'Stalls', '€45.00']) {
      assert.ok(text.includes(part), `the ticket says ${part}: ${text}`);
    }
    const order = (await server.call('GET', `/api/v1/orders/${link.order}`, { token: link.key })).body;
    const expectedDate = new Intl.DateTimeFormat('en', { timeZone: order.tickets[0].timeZone, hour: 'numeric', minute: '2-digit' })
      .format(new Date(order.tickets[0].startsAt));
    assert.ok((await page.textContent('.ticket__when')).includes(expectedDate), 'the venue\'s local time');
    const qr = await page.evaluate(() => {
      const svg = document.querySelector('.ticket svg.ticket__qr-code');
      const box = svg?.getBoundingClientRect();
      return svg && { width: box.width, height: box.height, drawn: svg.querySelectorAll('rect, path').length, scripts: svg.querySelectorAll('script').length };
    });
    assert.ok(qr, 'a QR code is drawn');
    assert.ok(qr.width >= 200 && qr.height >= 200, `the QR code is at least 200 px (${qr.width}×${qr.height})`);
    assert.ok(qr.drawn > 0 && qr.scripts === 0);
    assert.equal(await page.textContent('.ticket__code'), `Ticket code: ${order.tickets[0].code}`);
    assert.match(await page.evaluate(() => getComputedStyle(document.querySelector('.ticket__code')).fontFamily), /mono/i);
    assert.match(await page.textContent('#order-private'), /Keep this link to yourself/);
    await shot(page, 'web-order.png');
  });

  test('the other customer saw the seat sold, live', async () => {
    await watcher.waitForSelector('#C7[data-state="sold"]', { timeout: LIVE_TIMEOUT_MS });
  });

  test('the paid cart is forgotten: the page starts empty', async () => {
    assert.equal(await page.evaluate(() => localStorage.getItem('marquee.cart')), null);
    const shop = await buyer.newPage();
    watchPage(shop, problems);
    await shop.goto(server.base + '/#/breakfast-ii');
    await shop.waitForSelector('#C7[data-state="sold"]');
    assert.equal(await shop.isVisible('#cart-empty'), true);
    assert.equal(await shop.isDisabled('#checkout'), true);
    await shop.close();
  });

  test('Download PDF gives a PDF; the key never went into a URL', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-pdf')]);
    const file = await download.path();
    const head = (await fs.readFile(file)).subarray(0, 5).toString('latin1');
    assert.equal(head, '%PDF-');
    assert.match(download.suggestedFilename(), /\.pdf$/);
    const leaked = requested.filter((url) => url.includes(link.key));
    assert.deepEqual(leaked, [], 'no request carried the order key in its URL');
  });

  test('the order page works on a 390×844 phone', async () => {
    const phone = await buyer.newPage();
    watchPage(phone, problems);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(link.url.href);
    await phone.waitForSelector('.ticket svg.ticket__qr-code');
    const layout = await phone.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      qr: document.querySelector('svg.ticket__qr-code').getBoundingClientRect().width,
    }));
    assert.ok(layout.overflow <= 0, `nothing scrolls sideways (${layout.overflow} px)`);
    assert.ok(layout.qr >= 240, `the QR code fills most of the phone (${layout.qr} px)`);
    if (SCREENSHOT_DIR) await phone.screenshot({ path: path.join(SCREENSHOT_DIR, 'web-order-phone.png'), fullPage: true });
    await phone.close();
  });

  test('the confirmation mail arrives with the order link and the PDF', async () => {
    const mails = await until('the confirmation mail in the sink', async () => {
      const all = await sink.messages();
      return all.length ? all : null;
    }, 20_000, 200);
    assert.equal(mails.length, 1);
    const mail = unquote(mails[0]);
    assert.match(mail, new RegExp(`^To:.*${BUYER.email.replace('.', '\\.')}`, 'mi'));
    assert.ok(mail.includes(`/order.html?order=${link.order}`), 'the mail has the order link');
    assert.ok(mail.includes(link.key), 'with its key');
    assert.match(mail, /Content-Type: application\/pdf/i, 'and a PDF part');
  });

  test('no CSP violations or page errors', () => {
    assert.deepEqual(problems, []);
  });
});
