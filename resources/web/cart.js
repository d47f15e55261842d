// The customer's cart: created on the first "Add to cart", remembered in
// localStorage (cart id + bearer token) so it survives a reload, a closed tab
// and a second tab, and shown in the side panel with a live countdown per
// line. What the cart holds is always read from the server
// (GET /api/v1/carts/{cart}); localStorage only says which cart is ours and
// tells the other tabs that it changed.

import { api, ApiError, serverNow } from './api.js';
import { formatCountdown, formatMoney, listOf, plural } from './format.js';
import { compareLabels } from './seatmap.js';
import { notify } from './notices.js';

const STORAGE_KEY = 'marquee.cart';
const URGENT_MS = 2 * 60 * 1000;
export const MAX_RENEWALS = 2;   // server/API.md: "At most 2 renewals per hold"

function readStorage() {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) || 'null');
    return value && value.cart && value.token ? value : null;
  } catch {
    return null;
  }
}

function writeStorage(value) {
  try {
    // `changed` makes every write differ, so other tabs get a storage event
    // even when only the holds (not the cart) changed.
    if (value) localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...value, changed: Date.now() }));
    else localStorage.removeItem(STORAGE_KEY);
  } catch { /* storage disabled: the cart lives as long as the page */ }
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const isCartGone = (error) => error instanceof ApiError && (error.status === 401 || error.status === 404);

/**
 * The lines shown: one per seated hold, and one per general-admission event
 * however many holds it took (a second "2 tickets" joins the first as "4
 * tickets"; underneath they are still separate holds with their own timers).
 */
function linesOf(holds) {
  const lines = new Map();
  for (const hold of holds) {
    const key = hold.seats?.length ? `hold:${hold.hold}` : `ga:${hold.event}`;
    let line = lines.get(key);
    if (!line) {
      line = { key, event: hold.event, holds: [] };
      lines.set(key, line);
    }
    line.holds.push(hold);
  }
  return [...lines.values()];
}

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
    this.session = readStorage();  // {cart, token, expiresAt, renewals: {hold: n}}
    this.holds = [];
    this.busy = new Set();         // line keys being removed or renewed
    this.tick = 0;
    this.restoring = null;

    this.list = document.getElementById('cart-list');
    this.empty = document.getElementById('cart-empty');
    this.totals = document.getElementById('cart-totals');
    this.list.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-line]');
      if (!button) return;
      const line = linesOf(this.holds).find((l) => l.key === button.dataset.line);
      if (!line) return;
      const action = button.dataset.action === 'renew' ? this.renew(line) : this.remove(line);
      action.catch((error) => notify(error.message, 'error'));
    });
    // Another tab of ours changed the cart (or started a new one).
    window.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY && event.key !== null) return;
      this.session = readStorage();
      if (this.session) this.restore();
      else this.setHolds([]);
    });
  }

  /**
   * Reads the remembered cart's live holds from the server. A cart that has
   * expired, was cleaned up, or whose token no longer works is forgotten
   * without a word: the customer simply starts with an empty cart.
   */
  restore() {
    // Coalesce: a reload, a storage event and a wake-up may ask at once.
    this.restoring ??= this.doRestore().finally(() => { this.restoring = null; });
    return this.restoring;
  }

  async doRestore() {
    if (!this.session) {
      this.render();
      return;
    }
    const expires = Date.parse(this.session.expiresAt || '');
    if (expires <= serverNow()) {
      this.forget();
      return;
    }
    const asked = this.session;
    try {
      const body = await api.cart(asked.cart, asked.token);
      if (this.session?.cart !== asked.cart) return;   // replaced meanwhile
      this.session.expiresAt = body.expiresAt || this.session.expiresAt;
      const holds = (body.holds || []).filter((h) => Date.parse(h.expiresAt) > serverNow());
      const live = new Set(holds.map((h) => h.hold));
      this.session.renewals = Object.fromEntries(
        Object.entries(this.session.renewals || {}).filter(([hold]) => live.has(hold)));
      this.setHolds(holds, { store: false });
    } catch (error) {
      if (isCartGone(error) && this.session?.cart === asked.cart) this.forget();
      else this.render();
    }
  }

  forget() {
    this.session = null;
    writeStorage(null);
    this.setHolds([], { store: false });
  }

  async ensureCart() {
    const expires = this.session?.expiresAt ? Date.parse(this.session.expiresAt) : NaN;
    if (this.session && !(expires <= serverNow() + 5000)) return this.session;
    const created = await api.createCart();
    this.session = { cart: created.cart, token: created.token, expiresAt: created.expiresAt, renewals: {} };
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

  async remove(line) {
    if (!this.session || this.busy.has(line.key)) return;
    this.busy.add(line.key);
    this.render();
    const gone = new Set();
    let unsure = false;
    try {
      for (const hold of line.holds) {
        try {
          await api.release(this.session.cart, this.session.token, hold.hold);
          gone.add(hold.hold);
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 404)) throw error;
          // Gone on the server, or in a payment started in another tab:
          // the server's cart says which.
          unsure = true;
        }
      }
    } finally {
      this.busy.delete(line.key);
      this.setHolds(this.holds.filter((h) => !gone.has(h.hold)));
      if (unsure) this.restore();
    }
  }

  renewalsOf(hold) {
    return this.session?.renewals?.[hold.hold] ?? 0;
  }

  /** "More time": renews every hold of the line that may still be renewed. */
  async renew(line) {
    if (!this.session || this.busy.has(line.key)) return;
    this.busy.add(line.key);
    this.render();
    this.session.renewals ??= {};
    let limited = false;
    let renewed = false;
    const updated = new Map();
    try {
      for (const hold of line.holds.filter((h) => this.renewalsOf(h) < MAX_RENEWALS)) {
        try {
          const answer = await api.renew(this.session.cart, this.session.token, hold.hold);
          updated.set(hold.hold, { ...hold, ...answer });
          this.session.renewals[hold.hold] = this.renewalsOf(hold) + 1;
          renewed = true;
        } catch (error) {
          if (error instanceof ApiError && error.code === 'renewal_limit') {
            this.session.renewals[hold.hold] = MAX_RENEWALS;
            limited = true;
          } else if (error instanceof ApiError && error.status === 404) {
            updated.set(hold.hold, null);   // ran out meanwhile
          } else {
            throw error;
          }
        }
      }
    } finally {
      this.busy.delete(line.key);
      this.setHolds(this.holds
        .map((h) => (updated.has(h.hold) ? updated.get(h.hold) : h))
        .filter(Boolean));
    }
    if (limited) {
      notify(`No more time can be added: ${this.describe(line)} ${line.holds.length > 1 || line.holds[0].seats?.length !== 1 ? 'have' : 'has'} already been extended ${MAX_RENEWALS} times. Please finish before the timer runs out.`, 'warning');
    } else if (renewed) {
      notify(`More time added for ${this.describe(line)}.`, 'success');
    }
  }

  describe(line) {
    const seats = line.holds.flatMap((h) => h.seats || []).sort(compareLabels);
    if (seats.length) return listOf(seats);
    return plural(line.holds.reduce((n, h) => n + (h.quantity || 0), 0), 'ticket');
  }

  /** Seat labels this cart holds for an event. */
  seatsFor(slug) {
    return this.holds.filter((h) => h.event === slug).flatMap((h) => h.seats || []);
  }

  setHolds(holds, { store = true } = {}) {
    this.holds = holds;
    // Only our own changes are announced; a tab that merely re-read the cart
    // writes nothing, or two tabs would wake each other up forever.
    if (store && this.session) writeStorage(this.session);
    this.render();
    this.onChange?.(holds);
  }

  render() {
    this.list.replaceChildren(...linesOf(this.holds).map((line) => this.renderLine(line)));
    this.empty.hidden = this.holds.length > 0;
    this.renderTotals();
    this.updateTimers();
    clearInterval(this.tick);
    this.tick = this.holds.length ? setInterval(() => this.updateTimers(), 1000) : 0;
  }

  renderLine(line) {
    const item = el('li', 'cart-item');
    item.dataset.line = line.key;
    item.dataset.event = line.event;
    const currency = line.holds[0].currency;
    const total = line.holds.reduce((n, h) => n + (h.total || 0), 0);
    const head = el('div', 'cart-item__head');
    head.append(el('span', 'cart-item__event', this.eventName(line.event) || line.event));
    head.append(el('span', 'cart-item__price', formatMoney(total, currency)));
    item.append(head);

    const seats = line.holds.flatMap((h) => h.seats || []).sort(compareLabels);
    const quantity = line.holds.reduce((n, h) => n + (h.quantity || 0), 0);
    const detail = seats.length
      ? `${plural(seats.length, 'seat')} · ${listOf(seats)}`
      : `${plural(quantity, 'ticket')} · General admission`;
    item.append(el('p', 'cart-item__detail', detail));

    const foot = el('div', 'cart-item__foot');
    const timer = el('span', 'timer');
    timer.append(el('span', 'timer__label', 'Held for '));
    const time = el('time', 'timer__value');
    // The earliest hold of the line decides: when it runs out, part of the
    // line is gone.
    const expiresAt = line.holds.map((h) => h.expiresAt).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
    time.dataset.expires = expiresAt;
    time.dateTime = expiresAt;
    timer.append(time);
    foot.append(timer);

    const busy = this.busy.has(line.key);
    const what = seats.length ? listOf(seats) : plural(quantity, 'ticket');
    const actions = el('span', 'cart-item__actions');
    // A hold in a pending payment is the payment's until it is paid or
    // declined: nothing to remove or renew here meanwhile.
    if (line.holds.some((h) => h.inCheckout)) {
      actions.append(el('span', 'cart-item__checkout', 'In checkout'));
      foot.append(actions);
      item.append(foot);
      return item;
    }
    const renewable = line.holds.filter((h) => this.renewalsOf(h) < MAX_RENEWALS);
    if (renewable.length) {
      const left = Math.max(...renewable.map((h) => MAX_RENEWALS - this.renewalsOf(h)));
      const more = el('button', 'link-button link-button--quiet renew', busy ? 'Adding time…' : 'More time');
      more.type = 'button';
      more.dataset.line = line.key;
      more.dataset.action = 'renew';
      more.disabled = busy;
      more.title = `Restart the timer (${plural(left, 'time')} left)`;
      more.setAttribute('aria-label', `More time for ${what} (${plural(left, 'time')} left)`);
      actions.append(more);
    }
    const remove = el('button', 'link-button', busy ? 'Please wait…' : 'Remove');
    remove.type = 'button';
    remove.dataset.line = line.key;
    remove.dataset.action = 'remove';
    remove.disabled = busy;
    remove.setAttribute('aria-label', `Remove ${what} from your cart`);
    actions.append(remove);
    foot.append(actions);
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

  /**
   * Countdowns are worked out from the absolute expiresAt at every tick, so a
   * tab that slept (timers paused) shows the right time when it wakes, and
   * drops what ran out meanwhile.
   */
  updateTimers() {
    const now = serverNow();
    for (const time of this.list.querySelectorAll('time[data-expires]')) {
      const left = Date.parse(time.dataset.expires) - now;
      time.textContent = formatCountdown(left);
      time.closest('.timer').classList.toggle('timer--urgent', left < URGENT_MS);
    }
    const gone = this.holds.filter((h) => Date.parse(h.expiresAt) <= now);
    if (gone.length) {
      this.setHolds(this.holds.filter((h) => !gone.includes(h)));
      for (const hold of gone) this.onExpired?.(hold);
    }
  }
}
