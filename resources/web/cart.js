// The customer's cart: created on the first "Add to cart", remembered for the
// tab in sessionStorage (cart id + bearer token), and shown in the side panel
// with a live countdown per hold.

import { api, ApiError, serverNow } from './api.js';
import { formatCountdown, formatMoney, listOf, plural } from './format.js';
import { compareLabels } from './seatmap.js';
import { notify } from './notices.js';

const STORAGE_KEY = 'marquee.cart';
const URGENT_MS = 2 * 60 * 1000;

function readStorage() {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null');
    return value && value.cart && value.token ? value : null;
  } catch {
    return null;
  }
}

function writeStorage(value) {
  try {
    if (value) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch { /* storage disabled: the cart lives as long as the page */ }
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const isCartGone = (error) => error instanceof ApiError && (error.status === 401 || error.status === 404);

export class Cart {
  /**
   * @param {object} options
   *   eventName(slug) -> display name of an event
   *   onChange(holds) called whenever the list of holds changes
   *   onExpired(hold) a hold ran out of time
   */
  constructor({ eventName, onChange, onExpired }) {
    this.eventName = eventName;
    this.onChange = onChange;
    this.onExpired = onExpired;
    this.session = readStorage();  // {cart, token, expiresAt}
    this.holds = [];
    this.busy = new Set();         // hold ids being removed
    this.tick = 0;

    this.list = document.getElementById('cart-list');
    this.empty = document.getElementById('cart-empty');
    this.totals = document.getElementById('cart-totals');
    this.list.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-hold]');
      if (button) {
        this.remove(button.dataset.hold).catch((error) => notify(error.message, 'error'));
      }
    });
  }

  /** Restores the holds of a cart remembered from earlier in this tab. */
  async restore() {
    if (!this.session) return;
    try {
      const body = await api.cart(this.session.cart, this.session.token);
      this.session.expiresAt = body.expiresAt || this.session.expiresAt;
      writeStorage(this.session);
      this.setHolds(body.holds || []);
    } catch (error) {
      if (isCartGone(error)) this.forget();
      else this.render();
    }
  }

  forget() {
    this.session = null;
    writeStorage(null);
    this.setHolds([]);
  }

  async ensureCart() {
    const expires = this.session?.expiresAt ? Date.parse(this.session.expiresAt) : NaN;
    if (this.session && !(expires <= serverNow() + 5000)) return this.session;
    const created = await api.createCart();
    this.session = { cart: created.cart, token: created.token, expiresAt: created.expiresAt };
    writeStorage(this.session);
    return this.session;
  }

  /** Holds seats or a quantity; throws ApiError (409 "unavailable" etc.). */
  async hold(body) {
    let session = await this.ensureCart();
    let hold;
    try {
      hold = await api.hold(session.cart, session.token, body);
    } catch (error) {
      if (!isCartGone(error)) throw error;
      // The cart expired or was cleaned up on the server: start a new one once.
      this.forget();
      session = await this.ensureCart();
      hold = await api.hold(session.cart, session.token, body);
    }
    this.setHolds([...this.holds.filter((h) => h.hold !== hold.hold), hold]);
    return hold;
  }

  async remove(holdId) {
    if (!this.session || this.busy.has(holdId)) return;
    this.busy.add(holdId);
    this.render();
    try {
      await api.release(this.session.cart, this.session.token, holdId);
      this.setHolds(this.holds.filter((h) => h.hold !== holdId));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.setHolds(this.holds.filter((h) => h.hold !== holdId));
      } else {
        throw error;
      }
    } finally {
      this.busy.delete(holdId);
      this.render();
    }
  }

  /** Seat labels this cart holds for an event. */
  seatsFor(slug) {
    return this.holds.filter((h) => h.event === slug).flatMap((h) => h.seats || []);
  }

  setHolds(holds) {
    this.holds = holds;
    this.render();
    this.onChange?.(holds);
  }

  render() {
    this.list.replaceChildren(...this.holds.map((hold) => this.renderHold(hold)));
    this.empty.hidden = this.holds.length > 0;
    this.renderTotals();
    this.updateTimers();
    clearInterval(this.tick);
    this.tick = this.holds.length ? setInterval(() => this.updateTimers(), 1000) : 0;
  }

  renderHold(hold) {
    const item = el('li', 'cart-item');
    item.dataset.hold = hold.hold;
    const head = el('div', 'cart-item__head');
    head.append(el('span', 'cart-item__event', this.eventName(hold.event) || hold.event));
    head.append(el('span', 'cart-item__price', formatMoney(hold.total, hold.currency)));
    item.append(head);

    const seats = [...(hold.seats || [])].sort(compareLabels);
    const detail = seats.length
      ? `${plural(seats.length, 'seat')} · ${listOf(seats)}`
      : `${plural(hold.quantity, 'ticket')} · General admission`;
    item.append(el('p', 'cart-item__detail', detail));

    const foot = el('div', 'cart-item__foot');
    const timer = el('span', 'timer');
    timer.append(el('span', 'timer__label', 'Held for '));
    const time = el('time', 'timer__value');
    time.dataset.expires = hold.expiresAt;
    time.dateTime = hold.expiresAt;
    timer.append(time);
    foot.append(timer);
    const remove = el('button', 'link-button', this.busy.has(hold.hold) ? 'Removing…' : 'Remove');
    remove.type = 'button';
    remove.dataset.hold = hold.hold;
    remove.disabled = this.busy.has(hold.hold);
    remove.setAttribute('aria-label', `Remove ${seats.length ? listOf(seats) : plural(hold.quantity, 'ticket')} from your cart`);
    foot.append(remove);
    item.append(foot);
    return item;
  }

  renderTotals() {
    const byCurrency = new Map();
    for (const hold of this.holds) {
      byCurrency.set(hold.currency, (byCurrency.get(hold.currency) || 0) + (hold.total || 0));
    }
    const count = this.holds.reduce((n, h) => n + (h.quantity || (h.seats || []).length), 0);
    this.totals.hidden = this.holds.length === 0;
    const rows = [];
    for (const [currency, total] of byCurrency) {
      const label = byCurrency.size > 1 ? `Total in ${currency}` : `Total · ${plural(count, 'ticket')}`;
      rows.push(el('dt', '', label), el('dd', 'cart__total', formatMoney(total, currency)));
    }
    this.totals.replaceChildren(...rows);
  }

  updateTimers() {
    const now = serverNow();
    const expired = [];
    for (const time of this.list.querySelectorAll('time[data-expires]')) {
      const left = Date.parse(time.dataset.expires) - now;
      time.textContent = formatCountdown(left);
      time.closest('.timer').classList.toggle('timer--urgent', left < URGENT_MS);
      if (left <= 0) expired.push(time.closest('.cart-item').dataset.hold);
    }
    if (expired.length) {
      const gone = this.holds.filter((h) => expired.includes(h.hold));
      this.setHolds(this.holds.filter((h) => !expired.includes(h.hold)));
      for (const hold of gone) this.onExpired?.(hold);
    }
  }
}
