// Checkout: the buyer's name and e-mail, a summary of what the cart holds
// with its prices, total and the hold's live countdown, then off to the
// payment provider's page (payment.redirect). The server checks everything
// again (server/API.md "Online checkout"); this module only says plainly
// what happened: a hold that ran out before payment started (409 hold_lost)
// names its seats, and a declined payment brings the buyer back here with
// the cart intact.

import { api, ApiError, serverNow } from './api.js';
import { rememberCheckout } from './checkout-record.js';
import { formatCountdown, formatMoney, formatShortDate, listOf, plural } from './format.js';
import { clearNotice, notify } from './notices.js';
import { compareLabels } from './seatmap.js';

const $ = (id) => document.getElementById(id);
const URGENT_MS = 2 * 60 * 1000;
const BUYER_KEY = 'marquee.buyer';   // sessionStorage: this tab only, gone when it closes

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// The same rules as the server's (server/core/checkout/Buyer.cpp), so the
// buyer hears about a typo here, next to the field, not after a round trip.
const CONTROL = /[\p{Cc}\p{Cf}]/u;

export function nameProblem(value) {
  const name = value.trim();
  if (!name) return 'Please enter your name.';
  if (name.length > 100) return 'Your name can be at most 100 characters long.';
  if (CONTROL.test(name)) return 'Your name contains a character that cannot be used.';
  return '';
}

export function emailProblem(value) {
  const email = value.trim();
  if (!email) return 'Please enter your e-mail address: your tickets are sent there.';
  const at = email.indexOf('@');
  const domain = email.slice(at + 1);
  const shaped = at > 0 && at <= 64 && email.length <= 254 && email.split('@').length === 2
    && domain.includes('.') && !domain.startsWith('.') && !domain.endsWith('.') && !domain.includes('..');
  if (!shaped || /[\s<>()[\],;:\\"]/.test(email) || CONTROL.test(email)) {
    return 'This does not look like an e-mail address. Please check it (like name@example.org).';
  }
  return '';
}

/** "18:42" in the buyer's own clock: when their hold runs out. */
function clockTime(iso) {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(iso));
}

const seatsOf = (hold) => [...(hold.seats || [])].sort(compareLabels);

function describeHolds(holds) {
  const seats = holds.flatMap(seatsOf).sort(compareLabels);
  const places = holds.filter((h) => !h.seats?.length).reduce((n, h) => n + (h.quantity || 0), 0);
  const parts = [];
  if (seats.length) parts.push(`${seats.length === 1 ? 'seat' : 'seats'} ${listOf(seats)}`);
  if (places) parts.push(plural(places, 'general-admission ticket'));
  return listOf(parts);
}

export class Checkout {
  /**
   * @param cart      the page's Cart
   * @param eventOf   slug -> the event from the event list (name, date, venue)
   */
  constructor({ cart, eventOf }) {
    this.cart = cart;
    this.eventOf = eventOf;
    this.dialog = $('checkout-dialog');
    this.form = $('checkout-form');
    this.name = $('buyer-name');
    this.email = $('buyer-email');
    this.submit = $('checkout-pay');
    this.tick = 0;
    this.sending = false;
    this.tried = false;   // field errors show live only after the first try

    $('checkout').addEventListener('click', () => this.open());
    $('checkout-close').addEventListener('click', () => this.close());
    $('checkout-back').addEventListener('click', () => this.close());
    this.dialog.addEventListener('close', () => this.stopTimer());
    // Back from the provider's page out of the browser's cache: this page
    // was left mid-"Starting payment…"; a new checkout finds the same payment.
    window.addEventListener('pageshow', (event) => {
      if (!event.persisted) return;
      this.sending = false;
      this.close();
      this.refresh();
    });
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
    });
    for (const [input, check] of [[this.name, nameProblem], [this.email, emailProblem]]) {
      input.addEventListener('input', () => { if (this.tried) this.showField(input, check(input.value)); });
      input.addEventListener('blur', () => { if (this.tried || input.value) this.showField(input, check(input.value)); });
    }
    try {
      const saved = JSON.parse(sessionStorage.getItem(BUYER_KEY) || 'null');
      if (saved) { this.name.value = saved.name || ''; this.email.value = saved.email || ''; }
    } catch { /* storage disabled: nothing remembered */ }
  }

  /** The cart's holds changed (added, removed, ran out, re-read). */
  refresh() {
    $('checkout').disabled = this.cart.holds.length === 0;
    if (this.dialog.open) this.renderSummary();
  }

  open() {
    if (!this.cart.holds.length || this.dialog.open) return;
    this.showError('');
    this.renderSummary();
    clearNotice();   // it would sit, dimmed and unreadable, behind the dialog
    this.dialog.showModal();
    (this.name.value ? (this.email.value ? this.submit : this.email) : this.name).focus();
    this.startTimer();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  renderSummary() {
    const holds = this.cart.holds;
    const lines = holds.map((hold) => {
      const item = el('li', 'summary-line');
      const event = this.eventOf(hold.event);
      const head = el('div', 'summary-line__head');
      head.append(el('span', 'summary-line__event', event?.name || hold.event),
        el('span', 'summary-line__price', formatMoney(hold.total, hold.currency)));
      item.append(head);
      const when = event ? [formatShortDate(event.startsAt, event.timeZone), event.venue].filter(Boolean).join(' · ') : '';
      if (when) item.append(el('p', 'summary-line__when', when));
      const seats = seatsOf(hold);
      item.append(el('p', 'summary-line__what', seats.length
        ? `${plural(seats.length, 'seat')}: ${listOf(seats)}`
        : `${plural(hold.quantity, 'ticket')} · General admission`));
      return item;
    });
    $('checkout-lines').replaceChildren(...lines);

    const currencies = new Map();
    for (const hold of holds) currencies.set(hold.currency, (currencies.get(hold.currency) || 0) + hold.total);
    const total = [...currencies].map(([currency, amount]) => formatMoney(amount, currency)).join(' + ');
    const count = holds.reduce((n, h) => n + (h.seats?.length || h.quantity || 0), 0);
    $('checkout-count').textContent = `Total · ${plural(count, 'ticket')}`;
    $('checkout-total').textContent = total;
    $('checkout-empty').hidden = holds.length > 0;
    $('checkout-summary-body').hidden = holds.length === 0;
    this.submit.disabled = this.sending || holds.length === 0;
    this.submit.textContent = this.sending ? 'Starting payment…' : (holds.length ? `Continue to payment · ${total}` : 'Continue to payment');
    this.updateTimer();
  }

  startTimer() {
    this.stopTimer();
    this.tick = setInterval(() => this.updateTimer(), 1000);
  }

  stopTimer() {
    clearInterval(this.tick);
    this.tick = 0;
  }

  /** The earliest hold decides: when it runs out, part of the order is gone. */
  updateTimer() {
    const first = this.cart.holds.map((h) => Date.parse(h.expiresAt)).sort((a, b) => a - b)[0];
    const timer = $('checkout-timer');
    timer.hidden = !Number.isFinite(first);
    if (!Number.isFinite(first)) return;
    const left = first - serverNow();
    const time = $('checkout-countdown');
    time.textContent = formatCountdown(left);
    time.dateTime = new Date(first).toISOString();
    timer.classList.toggle('timer--urgent', left < URGENT_MS);
  }

  showField(input, problem) {
    const message = $(`${input.id}-error`);
    message.textContent = problem;
    input.setAttribute('aria-invalid', problem ? 'true' : 'false');
    return !problem;
  }

  showError(message) {
    const box = $('checkout-error');
    box.textContent = message;
    box.hidden = !message;
  }

  async send() {
    if (this.sending) return;
    this.tried = true;
    this.showError('');
    const nameOk = this.showField(this.name, nameProblem(this.name.value));
    const emailOk = this.showField(this.email, emailProblem(this.email.value));
    if (!nameOk || !emailOk) {
      (nameOk ? this.email : this.name).focus();
      return;
    }
    const session = this.cart.session;
    if (!session || !this.cart.holds.length) return;
    const buyer = { name: this.name.value.trim(), email: this.email.value.trim() };
    try { sessionStorage.setItem(BUYER_KEY, JSON.stringify(buyer)); } catch { /* not remembered */ }

    const asked = [...this.cart.holds];
    this.sending = true;
    this.renderSummary();
    let answer;
    try {
      answer = await api.checkout(session.cart, session.token, buyer);
    } catch (error) {
      this.sending = false;
      await this.failed(error, asked);
      return;
    }
    rememberCheckout(answer.order, session.cart);
    // Stays "Starting payment…" until the provider's page replaces this one.
    location.assign(answer.payment.redirect);
  }

  async failed(error, asked) {
    const gone = error instanceof ApiError
      && (error.code === 'hold_lost' || error.code === 'conflict' || error.status === 401 || error.status === 404);
    if (gone) {
      // hold_lost names the holds that ran out; once the server's expiry
      // timer has released them the cart is simply empty (409 conflict).
      // Either way the holds asked for that the server no longer has are
      // the ones lost, and the page knows their seats.
      await this.cart.restore();
      const still = new Set(this.cart.holds.map((h) => h.hold));
      const named = new Set(error.body.holds || []);
      const lost = asked.filter((h) => named.has(h.hold) || !still.has(h.hold));
      const left = this.cart.holds.length
        ? ' The summary shows what is still held for you: you can continue with that.'
        : ' Please choose your seats again.';
      if (lost.length) {
        const one = lost.length === 1 && (lost[0].seats?.length || 0) <= 1;
        this.showError(`Sorry — your hold on ${describeHolds(lost)} ran out before the payment could start, so ${one ? 'it was' : 'they were'} released. Nothing was charged.${left}`);
      } else {
        this.showError(`Your cart changed meanwhile, so the payment was not started.${left}`);
      }
    } else {
      this.showError(error.message);
    }
    this.renderSummary();
    $('checkout-error').focus();
  }
}

/**
 * Back from the payment page with ?payment=declined (or =failed): the holds
 * are still in the cart, live until they run out, and a new checkout starts
 * a new payment. One notice says so; the query goes from the address, so a
 * reload does not say it again.
 */
export async function paymentReturn(cart) {
  const params = new URLSearchParams(location.search);
  const outcome = params.get('payment');
  if (!outcome) return null;
  params.delete('payment');
  const query = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  await cart.restore();
  const first = cart.holds.map((h) => h.expiresAt).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  const what = outcome === 'declined' ? 'Payment declined' : 'The payment did not go through';
  if (first) {
    notify(`${what} — your seats are still held until ${clockTime(first)}. You can check out again.`, 'warning');
  } else {
    notify(`${what}, and your hold has run out meanwhile, so the seats were released. Nothing was charged.`, 'warning');
  }
  return cart.holds[0]?.event ?? null;
}
