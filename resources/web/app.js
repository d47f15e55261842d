// Marquee — the online customer page. Wires the event list, the open event
// (seat map or general-admission counter, kept live by its channel) and the
// cart together. The page stays dumb: every state it shows comes from the
// server, and the server re-checks everything when a hold is made.

import { api, ApiError } from './api.js';
import { Cart } from './cart.js';
import { EventChannel } from './channel.js';
import { Checkout, paymentReturn } from './checkout.js';
import { formatDate, formatMoney, formatShortDate, listOf, plural } from './format.js';
import { clearNotice, notify, recheck } from './notices.js';
import { MAX_SEATS_PER_HOLD, SeatMap, compareLabels } from './seatmap.js';

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const CONNECTION_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  failed: 'Not available',
};

const MAX_GA_QUANTITY = 10;
const PHONE_LAYOUT = window.matchMedia('(max-width: 760px)');

/**
 * The quantity typed, or null when it is not a whole number from 1 to max.
 * Digits only: Number() would take "1e1", " 2 ", "0x3" and "".
 */
export function parseQuantity(text, max) {
  const trimmed = String(text).trim();
  if (!/^[0-9]{1,3}$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= 1 && value <= max ? value : null;
}

/** On a phone the cart is below the plan: bring it (and its countdown) into view. */
function showCart() {
  if (!PHONE_LAYOUT.matches) return;
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  document.querySelector('.cart').scrollIntoView({ behavior: reduced ? 'auto' : 'smooth', block: 'start' });
}

/** Everything that belongs to the event on screen; replaced when it changes. */
class EventView {
  constructor(app, slug) {
    this.app = app;
    this.slug = slug;
    this.detail = null;
    this.channel = null;
    this.seatmap = null;
    this.pending = new Set();   // seats in an add-to-cart request right now
    this.available = null;      // general admission: places left
    this.capacity = null;
    this.closed = false;
  }

  get isSeated() {
    return this.detail?.kind === 'seated';
  }

  async open() {
    showEventShell();
    $('event-loading').hidden = false;
    // Connect at once, alongside the details and the plan: on a large plan
    // every round trip counts. Messages wait in `early` until the seat map
    // (or the counter) exists.
    this.early = [];
    this.channel = new EventChannel(this.slug, {
      onSnapshot: (message) => this.receive(message),
      onUpdate: (message) => this.receive(message),
      onStatus: (status) => this.showConnection(status),
    });
    // A seated event's plan is fetched alongside its details when the
    // event list (this visit's or the last one's) says it is seated.
    const planUrl = `/api/v1/events/${encodeURIComponent(this.slug)}/plan.svg`;
    const early = this.app.kindOf(this.slug) === 'seated' ? api.plan(planUrl) : null;
    early?.catch(() => {});   // awaited below, or not needed after all
    let detail;
    try {
      detail = await api.event(this.slug);
    } catch (error) {
      if (this.closed) return;
      this.channel.close();
      $('event-loading').hidden = true;
      showError(error instanceof ApiError && error.status === 404
        ? 'This event is not on sale (any more).'
        : error.message);
      return;
    }
    if (this.closed) return;
    this.detail = detail;
    this.categories = new Map((detail.priceCategories || []).map((c) => [c.code, c]));
    renderEventHead(detail);

    if (this.isSeated) {
      this.seatmap = new SeatMap($('seatmap'), {
        category: (code) => this.category(code),
        onSelectionChange: (labels) => this.renderSelection(labels),
        onLost: (labels) => this.seatsTaken(labels, 'channel'),
        onLimit: () => notify(`You can add up to ${MAX_SEATS_PER_HOLD} seats at a time.`, 'warning',
          { stillApplies: () => this.seatmap?.selection().length >= MAX_SEATS_PER_HOLD }),
        onZoom: (scale) => {
          // At full view there is room to zoom; only then is the limit asked
          // for, as it needs the plan laid out.
          $('zoom-in').disabled = scale > 1.001 && scale >= this.seatmap.zoom.maxScale - 0.001;
          $('zoom-out').disabled = scale <= 1.001;
          $('zoom-reset').disabled = scale <= 1.001;
        },
      });
      this.seatmap.onComplete = () => renderCategoryRows(this.seatmap);
      this.seatmap.ignoreLost = this.pending;
    }
    const queued = this.early;
    this.early = null;
    for (const message of queued) this.receive(message);

    if (this.isSeated) {
      try {
        const url = detail.plan || planUrl;
        const svg = await (early && url === planUrl ? early.catch(() => api.plan(url)) : api.plan(url));
        if (this.closed) return;
        $('seated').hidden = false;   // visible first, so the plan can measure itself
        this.seatmap.setMine(this.app.cart.seatsFor(this.slug));
        this.seatmap.render(svg);
        this.markInteractive();
      } catch (error) {
        if (this.closed) return;
        showError(`The seating plan could not be loaded. ${error.message}`);
      }
    } else {
      this.capacity = detail.capacity ?? null;
      $('general').hidden = false;
      this.renderGeneral();
    }
    $('event-loading').hidden = true;
  }

  category(code) {
    const category = this.categories?.get(code);
    if (!category) return undefined;
    return { ...category, priceText: formatMoney(category.price, this.detail.currency) };
  }

  /**
   * Performance marks once the plan is drawn with its states and once that
   * is on screen: the time to interactive that tests/web/arena_perf.test.mjs
   * reports.
   */
  markInteractive() {
    if (this.marked || !this.seatmap?.svg || !this.seatmap.states.size) return;
    this.marked = true;
    performance.mark('marquee:seatmap-drawn');
    // Interactive once that frame is on screen: right after the next frame,
    // ahead of the timers that bring in the rest of a large plan.
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        performance.mark('marquee:seatmap-interactive');
        document.documentElement.dataset.seatmap = 'ready';
      };
      channel.port2.postMessage(null);
    });
  }

  /**
   * Selected seats someone else took. They stay in the selection, marked, so
   * the customer sees which ones; the notice goes once none of them is
   * selected any more (deselected, or free again).
   */
  seatsTaken(labels, how) {
    const taken = [...labels].sort(compareLabels);
    const one = taken.length === 1;
    const stillApplies = () => {
      const conflicts = new Set(this.seatmap?.conflicts() || []);
      return !this.closed && taken.some((label) => conflicts.has(label));
    };
    const text = how === 'channel'
      ? `${one ? 'Seat' : 'Seats'} ${listOf(taken)} ${one ? 'was' : 'were'} just taken by someone else. Tap ${one ? 'it' : 'them'} to remove ${one ? 'it' : 'them'} from your selection, or choose again.`
      : `Sorry, ${listOf(taken)} ${one ? 'was' : 'were'} just taken. Nothing was added: remove ${one ? 'it' : 'them'} from your selection and try again.`;
    notify(text, how === 'channel' ? 'warning' : 'error', { stillApplies });
  }

  receive(message) {
    if (this.closed) return;
    if (this.early) {
      // A snapshot replaces everything before it.
      if (message.type === 'snapshot') this.early = [message];
      else this.early.push(message);
      return;
    }
    if (this.isSeated) {
      this.seatmap.apply(message.seats, { immediate: message.type === 'snapshot' });
      this.markInteractive();
    } else {
      this.available = message.available;
      this.capacity = message.capacity ?? this.capacity;
      this.renderGeneral();
    }
  }

  showConnection(status) {
    if (this.closed) return;
    const indicator = $('connection');
    indicator.hidden = false;
    indicator.dataset.connection = status;
    $('connection-label').textContent = CONNECTION_TEXT[status] || status;
    indicator.title = status === 'live'
      ? 'Availability updates as it happens.'
      : 'Availability may be out of date until the connection is back.';
    $('event-view').classList.toggle('event-view--stale', status === 'reconnecting' || status === 'failed');
  }

  renderSelection(labels) {
    recheck();
    const addButton = $('add-seats');
    const conflicts = this.seatmap.conflicts();
    $('clear-selection').disabled = labels.length === 0;
    addButton.disabled = labels.length === 0 || conflicts.length > 0 || this.pending.size > 0;
    if (!labels.length) {
      $('selection-summary').textContent = 'No seats selected';
      $('selection-total').textContent = '';
      return;
    }
    if (conflicts.length) {
      $('selection-summary').textContent = `${listOf(conflicts)} ${conflicts.length === 1 ? 'is' : 'are'} no longer available: remove ${conflicts.length === 1 ? 'it' : 'them'} to continue`;
      $('selection-total').textContent = '';
      return;
    }
    let total = 0;
    for (const label of labels) {
      total += this.category(this.seatmap.seats.get(label)?.dataset.category)?.price || 0;
    }
    $('selection-summary').textContent = `${plural(labels.length, 'seat')} selected: ${listOf([...labels].sort(compareLabels))}`;
    $('selection-total').textContent = formatMoney(total, this.detail.currency);
  }

  renderGeneral() {
    const known = Number.isInteger(this.available);
    $('ga-available').textContent = known ? String(this.available) : '–';
    $('ga-capacity').textContent = Number.isInteger(this.capacity) ? String(this.capacity) : '–';
    const fraction = known && this.capacity ? this.available / this.capacity : 0;
    $('ga-meter').style.setProperty('width', `${Math.round(fraction * 1000) / 10}%`);
    $('ga-meter').classList.toggle('meter__fill--low', known && fraction < 0.1);

    const input = $('ga-quantity');
    const soldOut = known && this.available === 0;
    input.disabled = soldOut;
    $('add-ga').textContent = soldOut ? 'Sold out' : 'Add to cart';
    this.renderGeneralTotal();
  }

  get maxQuantity() {
    return Number.isInteger(this.available) ? Math.max(1, Math.min(MAX_GA_QUANTITY, this.available)) : MAX_GA_QUANTITY;
  }

  /** The price for the quantity typed; none, and no "Add", for a bad one. */
  renderGeneralTotal() {
    const category = (this.detail?.priceCategories || [])[0];
    const input = $('ga-quantity');
    const quantity = parseQuantity(input.value, this.maxQuantity);
    const soldOut = this.available === 0;
    const invalid = quantity === null && !soldOut;
    input.setAttribute('aria-invalid', invalid ? 'true' : 'false');
    $('ga-hint').textContent = invalid ? `Enter a number from 1 to ${this.maxQuantity}.` : '';
    $('ga-total').textContent = category && quantity !== null && !soldOut
      ? formatMoney(category.price * quantity, this.detail.currency)
      : '';
    $('add-ga').disabled = quantity === null || soldOut || this.pending.size > 0 || !Number.isInteger(this.available);
  }

  async addSeats() {
    const labels = this.seatmap.selection();
    if (!labels.length || this.pending.size) return;
    labels.forEach((label) => this.pending.add(label));
    setBusy($('add-seats'), true);
    try {
      await this.app.cart.hold({ event: this.slug, seats: labels });
      if (this.closed) return;
      this.seatmap.deselect(labels);
      notify(`${plural(labels.length, 'seat')} added to your cart: ${listOf(labels)}.`, 'success');
      showCart();
    } catch (error) {
      if (this.closed) return;
      if (error instanceof ApiError && error.status === 409 && Array.isArray(error.body.seats)) {
        // The channel may not have told us yet: mark them taken now, so the
        // selection shows which ones and "Add" waits until they are removed.
        this.seatmap.apply(Object.fromEntries(error.body.seats.map((label) => [label, this.seatmap.stateOf(label) === 'available' ? 'held' : this.seatmap.stateOf(label) || 'held'])), { immediate: true });
        this.pending.clear();
        this.seatsTaken(error.body.seats, 'hold');
      } else {
        notify(error.message, 'error');
      }
    } finally {
      this.pending.clear();
      setBusy($('add-seats'), false);
      if (!this.closed) this.renderSelection(this.seatmap.selection());
    }
  }

  async addGeneral() {
    const quantity = parseQuantity($('ga-quantity').value, this.maxQuantity);
    if (quantity === null || this.pending.size) return;
    this.pending.add('quantity');
    setBusy($('add-ga'), true);
    try {
      await this.app.cart.hold({ event: this.slug, quantity });
      notify(`${plural(quantity, 'ticket')} added to your cart.`, 'success');
      showCart();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && Number.isInteger(error.body.available)) {
        notify(error.body.available === 0
          ? 'Sorry, this event has just sold out.'
          : `Sorry, only ${plural(error.body.available, 'ticket')} left. Nothing was added.`, 'error');
      } else {
        notify(error.message, 'error');
      }
    } finally {
      this.pending.clear();
      setBusy($('add-ga'), false);
      if (!this.closed) this.renderGeneral();
    }
  }

  close() {
    this.closed = true;
    clearNotice();
    this.channel?.close();
    this.seatmap?.destroy();
  }
}

function setBusy(button, busy) {
  button.setAttribute('aria-busy', busy ? 'true' : 'false');
  if (busy) {
    button.disabled = true;
    button.dataset.label = button.textContent;
    button.textContent = 'Adding…';
  } else if (button.dataset.label) {
    button.textContent = button.dataset.label;
    delete button.dataset.label;
  }
}

function showEventShell() {
  $('welcome').hidden = true;
  $('event-view').hidden = false;
  $('event-view').classList.remove('event-view--stale');
  $('seated').hidden = true;
  $('general').hidden = true;
  $('event-error').hidden = true;
  $('event-name').textContent = '';
  $('event-date').textContent = '';
  $('event-venue').textContent = '';
  $('price-list').replaceChildren();
  $('seatmap').replaceChildren();
  $('ga-available').textContent = '–';
  $('ga-capacity').textContent = '–';
  $('selection-summary').textContent = 'No seats selected';
  $('selection-total').textContent = '';
  $('add-seats').disabled = true;
  $('clear-selection').disabled = true;
}

function showError(message) {
  const box = $('event-error');
  box.textContent = message;
  box.hidden = false;
}

function renderEventHead(detail) {
  $('event-name').textContent = detail.name;
  $('event-date').textContent = formatDate(detail.startsAt, detail.timeZone);
  $('event-date').dateTime = detail.startsAt;
  $('event-venue').textContent = detail.venue || '';
  document.title = `${detail.name} · Marquee`;

  const items = (detail.priceCategories || []).map((category) => {
    const item = el('li', 'price');
    item.dataset.category = category.code;
    item.append(el('span', 'price__name', category.name), el('span', 'price__rows'),
      el('span', 'price__amount', formatMoney(category.price, detail.currency)));
    return item;
  });
  $('price-list').replaceChildren(...items);
}

/**
 * Which rows each price is in ("Stalls · rows A–H"), as the counter's legend
 * says it: the plan no longer paints categories in colours, because colours
 * mean states (the same ones as at the counter).
 */
function renderCategoryRows(seatmap) {
  const rowsOf = new Map();
  const allRows = [];
  for (const row of seatmap.grid.rows) {
    const name = row.seats[0].seat.dataset.row;
    if (!name) continue;
    allRows.push(name);
    for (const { seat } of row.seats) {
      const code = seat.dataset.category;
      if (!rowsOf.has(code)) rowsOf.set(code, new Set());
      rowsOf.get(code).add(name);
    }
  }
  for (const item of document.querySelectorAll('#price-list .price')) {
    const rows = rowsOf.get(item.dataset.category);
    if (!rows?.size) continue;
    // Runs of consecutive rows in plan order: "A–C, F".
    const runs = [];
    let run = null;
    allRows.forEach((name, index) => {
      if (!rows.has(name)) { run = null; return; }
      if (run && run.end === index - 1) { run.end = index; run.last = name; } else { run = { first: name, last: name, end: index }; runs.push(run); }
    });
    const text = runs.map((r) => (r.first === r.last ? r.first : `${r.first}–${r.last}`)).join(', ');
    item.querySelector('.price__rows').textContent = `${runs.length === 1 && runs[0].first === runs[0].last ? 'row' : 'rows'} ${text}`;
  }
}

const KINDS_KEY = 'marquee.kinds';

class App {
  /** 'seated' | 'general' | undefined, from the event list or the last visit's. */
  kindOf(slug) {
    const listed = this.events.find((e) => e.slug === slug)?.kind;
    if (listed) return listed;
    try {
      return JSON.parse(localStorage.getItem(KINDS_KEY) || '{}')[slug];
    } catch {
      return undefined;
    }
  }

  markCurrent(slug = this.view?.slug) {
    for (const link of document.querySelectorAll('.event-card')) {
      if (link.dataset.slug === slug) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  constructor() {
    this.events = [];
    this.view = null;
    this.cart = new Cart({
      eventName: (slug) => this.events.find((e) => e.slug === slug)?.name,
      onChange: () => {
        this.view?.seatmap?.setMine(this.cart.seatsFor(this.view.slug));
        this.checkout?.refresh();
        recheck();   // e.g. "your hold ran out" once the seats are back in the cart
      },
      onExpired: (hold) => {
        const what = hold.seats?.length ? listOf([...hold.seats].sort(compareLabels)) : plural(hold.quantity, 'ticket');
        notify(`Your hold on ${what} ran out of time and was released.`, 'warning',
          { stillApplies: () => !this.cart.holds.length || !hold.seats?.length || !this.cart.holds.some((h) => h.seats?.some((s) => hold.seats.includes(s))) });
        setTimeout(() => this.cart.restore(), 1500);
      },
    });

    this.checkout = new Checkout({ cart: this.cart, eventOf: (slug) => this.events.find((e) => e.slug === slug) });

    $('add-seats').addEventListener('click', () => this.view?.addSeats());
    $('zoom-in').addEventListener('click', () => this.view?.seatmap?.zoom?.zoomBy(1.6));
    $('zoom-out').addEventListener('click', () => this.view?.seatmap?.zoom?.zoomBy(1 / 1.6));
    $('zoom-reset').addEventListener('click', () => this.view?.seatmap?.zoom?.reset());
    // A tab that slept (a closed laptop, a phone in a pocket) may hold a
    // cart that ran out and a channel that died quietly: check both on wake.
    let hiddenAt = 0;
    let listedAt = Date.now();
    const wake = () => {
      this.cart.restore();
      this.view?.channel?.refresh();
      // After hours away the list of events may be out of date too.
      if (Date.now() - listedAt > 10 * 60_000) {
        listedAt = Date.now();
        this.loadEvents().then(() => this.markCurrent());
      }
    };
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) hiddenAt = Date.now();
      else if (Date.now() - hiddenAt > 5_000) wake();
    });
    document.addEventListener('resume', wake);   // a frozen page thawed
    window.addEventListener('pageshow', (event) => { if (event.persisted) wake(); });
    $('clear-selection').addEventListener('click', () => this.view?.seatmap?.clearSelection());
    $('add-ga').addEventListener('click', () => this.view?.addGeneral());
    $('ga-quantity').addEventListener('input', () => this.view?.renderGeneralTotal());
    $('ga-quantity').addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.view?.addGeneral();
    });
    window.addEventListener('hashchange', () => this.route());
  }

  async start() {
    this.cart.restore();
    // The event in the address is opened while the list loads, not after:
    // on a large plan every round trip counts.
    this.route();
    // Back from a declined payment: show the event of the held seats, so
    // the buyer sees them still theirs on the plan.
    paymentReturn(this.cart).then((slug) => {
      if (slug && !location.hash) location.hash = `#/${encodeURIComponent(slug)}`;
    });
    await this.loadEvents();
    this.markCurrent();
  }

  async loadEvents() {
    const status = $('events-status');
    for (let attempt = 0; ; attempt++) {
      try {
        this.events = await api.events();
        break;
      } catch (error) {
        status.textContent = 'The box office cannot be reached right now. Retrying…';
        await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 1000 * 2 ** attempt)));
      }
    }
    this.events.sort((a, b) => String(a.startsAt).localeCompare(String(b.startsAt)));
    try {
      localStorage.setItem(KINDS_KEY, JSON.stringify(Object.fromEntries(this.events.map((e) => [e.slug, e.kind]))));
    } catch { /* storage disabled: only this visit knows */ }
    status.hidden = this.events.length > 0;
    status.textContent = 'Nothing is on sale at the moment. Please check back soon.';
    $('event-list').replaceChildren(...this.events.map((event) => {
      const item = el('li');
      const link = el('a', 'event-card');
      link.href = `#/${encodeURIComponent(event.slug)}`;
      link.dataset.slug = event.slug;
      link.append(el('span', 'event-card__name', event.name));
      link.append(el('span', 'event-card__date', formatShortDate(event.startsAt, event.timeZone)));
      const meta = el('span', 'event-card__meta');
      meta.append(el('span', 'event-card__venue', event.venue || ''));
      meta.append(el('span', `badge badge--${event.kind}`, event.kind === 'seated' ? 'Seated' : 'Standing'));
      link.append(meta);
      item.append(link);
      return item;
    }));
    this.cart.render();
  }

  route() {
    // Events live at #/slug; other fragments (the skip link) are not routes.
    const hash = location.hash;
    if (hash && !hash.startsWith('#/')) return;
    const slug = decodeURIComponent(hash.slice(2));
    if (this.view?.slug === slug) return;
    this.view?.close();
    this.view = null;
    this.markCurrent(slug);
    if (!slug) {
      $('connection').hidden = true;
      $('welcome').hidden = false;
      $('event-view').hidden = true;
      document.title = 'Tickets · Marquee';
      return;
    }
    this.view = new EventView(this, slug);
    this.view.open();
  }
}

new App().start();
