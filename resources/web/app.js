// Marquee — the online customer page. Wires the event list, the open event
// (seat map or general-admission counter, kept live by its channel) and the
// cart together. The page stays dumb: every state it shows comes from the
// server, and the server re-checks everything when a hold is made.

import { api, ApiError } from './api.js';
import { Cart } from './cart.js';
import { EventChannel } from './channel.js';
import { formatDate, formatMoney, formatShortDate, listOf, plural } from './format.js';
import { notify } from './notices.js';
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
    let detail;
    try {
      detail = await api.event(this.slug);
    } catch (error) {
      if (this.closed) return;
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
        onLimit: () => notify(`You can add up to ${MAX_SEATS_PER_HOLD} seats at a time.`, 'warning'),
      });
    }
    // Connect while the plan downloads; the snapshot is kept until it is drawn.
    this.channel = new EventChannel(this.slug, {
      onSnapshot: (message) => this.receive(message),
      onUpdate: (message) => this.receive(message),
      onStatus: (status) => this.showConnection(status),
    });

    if (this.isSeated) {
      try {
        const svg = await api.plan(detail.plan || `/api/v1/events/${encodeURIComponent(this.slug)}/plan.svg`);
        if (this.closed) return;
        $('seated').hidden = false;   // visible first, so the plan can measure itself
        this.seatmap.render(svg);
        this.seatmap.setMine(this.app.cart.seatsFor(this.slug));
        renderLegend(detail.priceCategories || []);
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

  receive(message) {
    if (this.closed) return;
    if (this.isSeated) {
      const lost = this.seatmap.apply(message.seats).filter((label) => !this.pending.has(label));
      if (lost.length) {
        notify(`${lost.length === 1 ? 'Seat' : 'Seats'} ${listOf(lost)} ${lost.length === 1 ? 'was' : 'were'} just taken by someone else, so we removed ${lost.length === 1 ? 'it' : 'them'} from your selection.`, 'warning');
      }
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
    const addButton = $('add-seats');
    $('clear-selection').disabled = labels.length === 0;
    addButton.disabled = labels.length === 0 || this.pending.size > 0;
    if (!labels.length) {
      $('selection-summary').textContent = 'No seats selected';
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
    const max = known ? Math.max(1, Math.min(MAX_GA_QUANTITY, this.available)) : MAX_GA_QUANTITY;
    input.max = String(max);
    const soldOut = known && this.available === 0;
    input.disabled = soldOut;
    const button = $('add-ga');
    button.disabled = soldOut || this.pending.size > 0 || !known;
    button.textContent = soldOut ? 'Sold out' : 'Add to cart';
    this.renderGeneralTotal();
  }

  renderGeneralTotal() {
    const category = (this.detail?.priceCategories || [])[0];
    const quantity = Number($('ga-quantity').value);
    $('ga-total').textContent = category && Number.isInteger(quantity) && quantity > 0
      ? formatMoney(category.price * quantity, this.detail.currency)
      : '';
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
    } catch (error) {
      if (this.closed) return;
      if (error instanceof ApiError && error.status === 409 && Array.isArray(error.body.seats)) {
        const taken = [...error.body.seats].sort(compareLabels);
        this.seatmap.deselect(taken);
        notify(`Sorry, ${listOf(taken)} ${taken.length === 1 ? 'was' : 'were'} just taken. Nothing was added — please check your selection and try again.`, 'error');
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
    const input = $('ga-quantity');
    const quantity = Number(input.value);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > Number(input.max)) {
      input.setCustomValidity(`Choose between 1 and ${input.max} tickets.`);
      input.reportValidity();
      return;
    }
    input.setCustomValidity('');
    this.pending.add('quantity');
    setBusy($('add-ga'), true);
    try {
      await this.app.cart.hold({ event: this.slug, quantity });
      notify(`${plural(quantity, 'ticket')} added to your cart.`, 'success');
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
  $('event-date').textContent = formatDate(detail.startsAt);
  $('event-date').dateTime = detail.startsAt;
  $('event-venue').textContent = detail.venue || '';
  document.title = `${detail.name} · Marquee`;

  const items = (detail.priceCategories || []).map((category) => {
    const item = el('li', 'price');
    const dot = el('span', 'price__dot');
    dot.setAttribute('aria-hidden', 'true');
    if (category.color) dot.style.setProperty('background-color', category.color);
    item.append(dot, el('span', 'price__name', category.name),
      el('span', 'price__amount', formatMoney(category.price, detail.currency)));
    return item;
  });
  $('price-list').replaceChildren(...items);
}

/** The "Available" swatch shows every category colour, as the seats do. */
function renderLegend(categories) {
  const colours = categories.map((c) => c.color).filter(Boolean);
  const swatch = document.querySelector('#legend .swatch--available');
  if (!swatch || !colours.length) return;
  const step = 360 / colours.length;
  const stops = colours.map((c, i) => `${c} ${i * step}deg ${(i + 1) * step}deg`).join(', ');
  swatch.style.setProperty('background', colours.length === 1 ? colours[0] : `conic-gradient(${stops})`);
}

class App {
  constructor() {
    this.events = [];
    this.view = null;
    this.cart = new Cart({
      eventName: (slug) => this.events.find((e) => e.slug === slug)?.name,
      onChange: () => this.view?.seatmap?.setMine(this.cart.seatsFor(this.view.slug)),
      onExpired: (hold) => {
        const what = hold.seats?.length ? listOf([...hold.seats].sort(compareLabels)) : plural(hold.quantity, 'ticket');
        notify(`Your hold on ${what} has expired and was released.`, 'warning');
        setTimeout(() => this.cart.restore(), 1500);
      },
    });

    $('add-seats').addEventListener('click', () => this.view?.addSeats());
    $('clear-selection').addEventListener('click', () => this.view?.seatmap?.clearSelection());
    $('add-ga').addEventListener('click', () => this.view?.addGeneral());
    $('ga-quantity').addEventListener('input', () => {
      $('ga-quantity').setCustomValidity('');
      this.view?.renderGeneralTotal();
    });
    window.addEventListener('hashchange', () => this.route());
  }

  async start() {
    this.cart.restore();
    await this.loadEvents();
    this.route();
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
    status.hidden = this.events.length > 0;
    status.textContent = 'Nothing is on sale at the moment. Please check back soon.';
    $('event-list').replaceChildren(...this.events.map((event) => {
      const item = el('li');
      const link = el('a', 'event-card');
      link.href = `#/${encodeURIComponent(event.slug)}`;
      link.dataset.slug = event.slug;
      link.append(el('span', 'event-card__name', event.name));
      link.append(el('span', 'event-card__date', formatShortDate(event.startsAt)));
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
    for (const link of document.querySelectorAll('.event-card')) {
      if (link.dataset.slug === slug) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
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
