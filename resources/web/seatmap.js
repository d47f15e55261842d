// The interactive seat map. The server's plan.svg (one <circle class="seat"
// id="A1" data-row data-number data-category> per seat) is parsed as text,
// cleaned, and imported into the page. Seat states only ever come from the
// channel; this module paints them with a class and a data-state attribute
// and keeps the customer's selection consistent with them.
//
// Built for plans of 20,000 seats: one click, key and pointer listener on the
// container (event delegation, none per seat), the category texts worked out
// once per category rather than per seat, and channel updates collected and
// painted once per animation frame instead of once per message.

import { SeatGrid, handleSeatKey } from './seatmap-keys.js';
import { ZoomView } from './zoom.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const STATES = new Set(['available', 'held', 'sold', 'blocked']);
const SPOKEN_STATE = {
  available: 'available',
  held: 'held by someone else',
  sold: 'sold',
  blocked: 'not for sale',
};
export const MAX_SEATS_PER_HOLD = 10;
const FINGER_PX = 44;   // the smallest target a finger hits reliably (WCAG 2.5.5)

/** Parses plan SVG text and drops anything active or styled inline (CSP). */
function parsePlan(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.localName !== 'svg' || root.namespaceURI !== SVG_NS
      || doc.getElementsByTagName('parsererror').length) {
    throw new Error('The seating plan could not be read.');
  }
  for (const el of root.querySelectorAll('script, foreignObject, iframe, image, use')) el.remove();
  for (const el of root.getElementsByTagName('*')) {
    // Seats have 7 plain attributes; reading them all is cheap, and the one
    // pass also keeps the plan's own fill colours out (states paint them).
    for (let i = el.attributes.length - 1; i >= 0; i--) {
      const name = el.attributes[i].name.toLowerCase();
      if (name.startsWith('on') || name === 'style'
          || ((name === 'href' || name === 'xlink:href') && !el.attributes[i].value.startsWith('#'))
          || (name === 'fill' && el.classList.contains('seat'))) {
        el.removeAttribute(el.attributes[i].name);
      }
    }
  }
  for (const attr of [...root.attributes]) {
    if (attr.name.toLowerCase().startsWith('on') || attr.name === 'style') root.removeAttribute(attr.name);
  }
  return root;
}

export class SeatMap {
  /**
   * @param {HTMLElement} container
   * @param {object} options
   *   category(code) -> {name, priceText} | undefined
   *   onSelectionChange(selectedLabels)
   *   onLost(labels)  selected seats that someone else just took
   *   onLimit()       the customer tried to select more than a hold allows
   *   onZoom(scale, maxScale)
   */
  constructor(container, { category, onSelectionChange, onLost, onLimit, onZoom }) {
    this.container = container;
    this.category = category;
    this.onSelectionChange = onSelectionChange;
    this.onLost = onLost;
    this.onLimit = onLimit;
    this.onZoom = onZoom;
    this.seats = new Map();      // label -> circle element
    this.states = new Map();     // label -> raw state
    this.selected = new Set();
    this.mine = new Set();       // labels held by this customer's cart
    this.ignoreLost = new Set(); // labels in an add-to-cart request right now
    this.pending = new Map();    // channel updates waiting for the next frame
    this.frame = 0;
    this.svg = null;
    this.grid = null;
    this.zoom = null;
    this.active = null;          // the seat that holds the map's one Tab stop
    this.touched = false;        // the customer has moved the Tab stop
    this.labels = new Map();     // category code -> "Stalls, €45.00"

    this.onClick = (event) => {
      const seat = event.target.closest?.('circle.seat');
      if (seat && this.seats.get(seat.id) === seat) this.click(seat);
    };
    this.onKeyDown = (event) => {
      if (event.target.closest?.('circle.seat') && handleSeatKey(this, event)) event.preventDefault();
    };
    // The tooltip text is written when a seat is first pointed at, not for
    // every seat at load.
    this.onPointerOver = (event) => {
      const seat = event.target.closest?.('circle.seat');
      if (!seat || seat.dataset.titled) return;
      seat.dataset.titled = '1';
      const title = seat.querySelector('title') || seat.appendChild(document.createElementNS(SVG_NS, 'title'));
      title.textContent = this.spokenLabel(seat);
    };
    // Focus can reach a seat without our arrow keys (a screen reader's own
    // navigation, a script): the Tab stop follows it wherever it lands.
    this.onFocusIn = (event) => {
      const seat = event.target.closest?.('circle.seat');
      if (seat && seat !== this.active && this.seats.get(seat.id) === seat) {
        this.touched = true;
        this.setActive(seat);
      }
    };
    container.addEventListener('click', this.onClick);
    container.addEventListener('keydown', this.onKeyDown);
    container.addEventListener('pointerover', this.onPointerOver);
    container.addEventListener('focusin', this.onFocusIn);
  }

  /** Replaces the map with the plan in svgText. */
  render(svgText) {
    const imported = document.importNode(parsePlan(svgText), true);
    if (!imported.getAttribute('viewBox')) {
      const w = parseFloat(imported.getAttribute('width')) || 0;
      const h = parseFloat(imported.getAttribute('height')) || 0;
      if (w && h) imported.setAttribute('viewBox', `0 0 ${w} ${h}`);
    }
    imported.removeAttribute('width');
    imported.removeAttribute('height');
    imported.setAttribute('role', 'group');
    imported.setAttribute('aria-label', 'Seating plan. Arrow keys move between seats, Enter or Space selects, plus and minus zoom.');
    imported.setAttribute('aria-roledescription', 'seating plan');
    imported.classList.add('plan');
    for (const decoration of imported.querySelectorAll('.rows, .stage, .stage-label')) {
      decoration.setAttribute('aria-hidden', 'true');
    }

    this.zoom?.destroy();
    this.seats.clear();
    this.selected.clear();
    this.labels.clear();
    this.active = null;
    for (const seat of imported.querySelectorAll('circle.seat[id]')) {
      this.seats.set(seat.id, seat);
      seat.setAttribute('role', 'checkbox');
      // Focusable (a screen reader or a click may focus any seat) but out of
      // the Tab order: only the active seat gets tabindex 0.
      seat.setAttribute('tabindex', '-1');
      this.paint(seat);
    }
    this.container.replaceChildren(imported);
    this.svg = imported;
    this.grid = new SeatGrid(this.seats.values());
    this.zoom = new ZoomView(imported, { onChange: (scale) => this.onZoom?.(scale, this.zoom.maxScale) });
    this.fitView();
    this.chooseActive();
    this.onSelectionChange?.([]);
  }

  /**
   * Trims the plan's empty margins so the seats get the space, and allows
   * zooming far enough that a seat is at least a finger wide.
   */
  fitView() {
    let box;
    try {
      const b = this.svg.getBBox();
      const pad = 6;
      if (b.width > 0 && b.height > 0) box = { x: b.x - pad, y: b.y - pad, width: b.width + 2 * pad, height: b.height + 2 * pad };
    } catch { /* not rendered (hidden): keep the plan's own viewBox */ }
    if (!box) {
      const [x, y, width, height] = (this.svg.getAttribute('viewBox') || '0 0 100 100').split(/[\s,]+/).map(Number);
      box = { x, y, width, height };
    }
    // The aspect ratio of the element follows the plan (see .plan in style.css).
    this.svg.style.setProperty('aspect-ratio', `${box.width} / ${box.height}`);
    this.svg.setAttribute('viewBox', `${box.x} ${box.y} ${box.width} ${box.height}`);
    const radius = this.smallestRadius();
    const rect = this.svg.getBoundingClientRect();
    const fitPixelsPerUnit = rect.width ? Math.min(rect.width / box.width, rect.height / box.height) : 1;
    const seatPx = 2 * radius * fitPixelsPerUnit;
    this.zoom.setBase(box, seatPx > 0 ? (FINGER_PX * 1.5) / seatPx : 0);
  }

  smallestRadius() {
    let radius = Infinity;
    let n = 0;
    // A sample is enough: plans use one seat size or a few.
    for (const seat of this.seats.values()) {
      const r = Number(seat.getAttribute('r'));
      if (r > 0 && r < radius) radius = r;
      if (++n > 500) break;
    }
    return Number.isFinite(radius) ? radius : 0;
  }

  /** Size of a seat on screen now, in CSS pixels. */
  seatPixels(seat) {
    return 2 * (Number(seat.getAttribute('r')) || 0) * this.zoom.pixelsPerUnit();
  }

  /** The seat that gets the Tab stop: the first free seat nearest the stage. */
  chooseActive() {
    const seat = this.grid.first((s) => this.states.get(s.id) === 'available') || this.grid.first();
    if (seat) this.setActive(seat, { focus: false });
  }

  setActive(seat, { focus = false, preventScroll = false } = {}) {
    if (this.active && this.active !== seat) this.active.setAttribute('tabindex', '-1');
    this.active = seat;
    seat.setAttribute('tabindex', '0');
    if (focus) {
      this.touched = true;
      seat.focus({ preventScroll });
      this.zoom.ensureVisible(Number(seat.getAttribute('cx')), Number(seat.getAttribute('cy')), Number(seat.getAttribute('r')) || 0);
    }
  }

  click(seat) {
    // On a phone a whole plan is too small to tap one seat: the first tap
    // zooms in around the finger until seats are finger-sized.
    if (this.zoom.lastPointerType === 'touch') {
      const px = this.seatPixels(seat);
      if (px > 0 && px < FINGER_PX) {
        this.zoom.zoomTo(this.zoom.scale * (FINGER_PX * 1.15) / px,
          Number(seat.getAttribute('cx')), Number(seat.getAttribute('cy')));
        return;
      }
    }
    this.setActive(seat, { focus: true, preventScroll: true });
    this.toggle(seat.id);
  }

  /**
   * Applies absolute seat states. A snapshot is painted at once; updates are
   * collected and painted in the next animation frame, so a burst of channel
   * messages costs one repaint (and a hidden tab none until it is shown).
   */
  apply(seatStates, { immediate = false } = {}) {
    for (const [label, state] of Object.entries(seatStates || {})) {
      if (STATES.has(state)) this.pending.set(label, state);
    }
    if (immediate) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.flush();
    } else if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.flush();
      });
    }
  }

  flush() {
    const lost = [];
    for (const [label, state] of this.pending) {
      const previous = this.states.get(label);
      this.states.set(label, state);
      const seat = this.seats.get(label);
      if (!seat || previous === state) continue;
      if (state !== 'available' && this.selected.has(label) && !this.ignoreLost.has(label)) {
        if (this.mine.has(label)) this.selected.delete(label);   // our own other tab took it
        else lost.push(label);
      }
      this.paint(seat);
    }
    this.pending.clear();
    // Until the customer moves in the map, its Tab stop follows the first
    // free seat (the plan may arrive before the states do).
    if (this.grid && !this.touched) this.chooseActive();
    if (lost.length) this.onLost?.(lost);
    this.onSelectionChange?.(this.selection());
  }

  /** Marks the seats this customer holds (shown as "in your cart"). */
  setMine(labels) {
    const next = new Set(labels);
    const changed = [...this.mine].filter((l) => !next.has(l)).concat([...next].filter((l) => !this.mine.has(l)));
    this.mine = next;
    for (const label of changed) {
      const seat = this.seats.get(label);
      if (seat) this.paint(seat);
    }
  }

  stateOf(label) {
    return this.states.get(label);
  }

  selection() {
    return [...this.selected].sort(compareLabels);
  }

  /** Selected seats that are no longer available (taken since they were chosen). */
  conflicts() {
    return this.selection().filter((label) => this.states.get(label) !== 'available');
  }

  toggle(label) {
    const seat = this.seats.get(label);
    if (!seat) return;
    if (this.selected.has(label)) {
      this.selected.delete(label);
    } else {
      if (this.states.get(label) !== 'available') return;
      if (this.selected.size >= MAX_SEATS_PER_HOLD) {
        this.onLimit?.();
        return;
      }
      this.selected.add(label);
    }
    this.paint(seat);
    this.onSelectionChange?.(this.selection());
  }

  deselect(labels) {
    let changed = false;
    for (const label of labels) {
      if (this.selected.delete(label)) {
        changed = true;
        const seat = this.seats.get(label);
        if (seat) this.paint(seat);
      }
    }
    if (changed) this.onSelectionChange?.(this.selection());
  }

  clearSelection() {
    this.deselect([...this.selected]);
  }

  /** "Stalls, €45.00", worked out once per category. */
  categoryText(code) {
    let text = this.labels.get(code);
    if (text === undefined) {
      const category = this.category(code);
      text = [category?.name, category?.priceText].filter(Boolean).join(', ');
      this.labels.set(code, text);
    }
    return text;
  }

  spokenState(seat) {
    const label = seat.id;
    const state = this.states.get(label);
    const selected = this.selected.has(label);
    if (selected && state !== 'available') return 'selected, but just taken by someone else';
    if (selected) return 'selected';
    if (state === 'held' && this.mine.has(label)) return 'in your cart';
    return SPOKEN_STATE[state] || 'loading';
  }

  /** "Row A, seat 5, Stalls, €45.00, available" */
  spokenLabel(seat) {
    const row = seat.dataset.row;
    const number = seat.dataset.number;
    const place = row && number ? `Row ${row}, seat ${number}` : `Seat ${seat.id}`;
    return [place, this.categoryText(seat.dataset.category), this.spokenState(seat)].filter(Boolean).join(', ');
  }

  paint(seat) {
    const label = seat.id;
    const state = this.states.get(label);
    const selected = this.selected.has(label);
    const mine = state === 'held' && this.mine.has(label);
    let className = state ? `seat seat--${state}` : 'seat';
    if (selected) className += state === 'available' ? ' seat--selected' : ' seat--selected seat--taken';
    if (mine) className += ' seat--mine';
    seat.setAttribute('class', className);
    if (state) seat.setAttribute('data-state', state);
    else seat.removeAttribute('data-state');
    seat.setAttribute('aria-checked', selected ? 'true' : 'false');
    if (state === 'available' || selected) seat.removeAttribute('aria-disabled');
    else seat.setAttribute('aria-disabled', 'true');
    seat.setAttribute('aria-label', this.spokenLabel(seat));
    if (seat.dataset.titled) {
      const title = seat.querySelector('title');
      if (title) title.textContent = seat.getAttribute('aria-label');
    }
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    this.zoom?.destroy();
    this.container.removeEventListener('click', this.onClick);
    this.container.removeEventListener('keydown', this.onKeyDown);
    this.container.removeEventListener('pointerover', this.onPointerOver);
    this.container.removeEventListener('focusin', this.onFocusIn);
    this.container.replaceChildren();
    this.seats.clear();
    this.states.clear();
    this.selected.clear();
    this.pending.clear();
  }
}

/** A2 before A10, B1 after A10. */
export function compareLabels(a, b) {
  return a.localeCompare(b, 'en', { numeric: true });
}
