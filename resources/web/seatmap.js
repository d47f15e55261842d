// The interactive seat map. The server's plan.svg (one <circle class="seat"
// id="A1" data-row data-number data-category> per seat) is parsed as text,
// cleaned, and put into the page (plan-parse.js). Seat states only ever come from the
// channel; this module paints them with a class and a data-state attribute
// and keeps the customer's selection consistent with them.
//
// Built for plans of 20,000 seats: one click, key and pointer listener on the
// container (event delegation, none per seat), the category texts worked out
// once per category rather than per seat, and channel updates collected and
// painted once per animation frame instead of once per message.

import { SVG_NS, parsePlan, parseSeats, splitPlan } from './plan-parse.js';
import { SeatGrid, handleSeatKey } from './seatmap-keys.js';
import { ZoomView } from './zoom.js';

const STATES = new Set(['available', 'held', 'sold', 'blocked']);
const SPOKEN_STATE = {
  available: 'available',
  held: 'held by someone else',
  sold: 'sold',
  blocked: 'not for sale',
};
export const MAX_SEATS_PER_HOLD = 10;
const FINGER_PX = 44;   // the smallest target a finger hits reliably (WCAG 2.5.5)
const ATTACH_WAIT_MS = 400;
// Plans above this size are shown a chunk of seats per frame (plan-parse.js).
const SPLIT_ABOVE_CHARS = 400_000;
const SEATS_PER_CHUNK = 2000;
const FIRST_CHUNK = 600;

/** Runs fn after everything more urgent (scheduler.postTask where there is one). */
function background(fn) {
  if (globalThis.scheduler?.postTask) globalThis.scheduler.postTask(fn, { priority: 'background' });
  else setTimeout(fn, 0);
}

export class SeatMap {
  /**
   * @param {HTMLElement} container
   * @param {object} options
   *   category(code) -> {name, priceText} | undefined
   *   onSelectionChange(selectedLabels)
   *   onLost(labels)  selected seats that someone else just took
   *   onLimit()       the customer tried to select more than a hold allows
   *   onZoom(scale)  after every zoom or pan
   *   onComplete()   every seat of the plan is in (at once, or after the chunks)
   */
  constructor(container, { category, onSelectionChange, onLost, onLimit, onZoom, onComplete }) {
    this.onComplete = onComplete;
    this.generation = 0;         // which render() the chunks in flight belong to
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
      // A finger between seats a pixel wide: zoom in there all the same.
      else if (this.svg?.contains(event.target)) this.fingerZoom(event.clientX, event.clientY);
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
    const generation = ++this.generation;
    const split = String(svgText).length > SPLIT_ABOVE_CHARS ? splitPlan(svgText) : null;
    const root = split ? split.root : parsePlan(svgText);
    if (!root.getAttribute('viewBox')) {
      const w = parseFloat(root.getAttribute('width')) || 0;
      const h = parseFloat(root.getAttribute('height')) || 0;
      if (w && h) root.setAttribute('viewBox', `0 0 ${w} ${h}`);
    }
    root.removeAttribute('width');
    root.removeAttribute('height');
    root.setAttribute('role', 'group');
    root.setAttribute('aria-label', 'Seating plan. Arrow keys move between seats, Enter or Space selects, plus and minus zoom.');
    root.setAttribute('aria-roledescription', 'seating plan');
    root.classList.add('plan');
    for (const decoration of root.querySelectorAll('.rows, .stage, .stage-label')) {
      decoration.setAttribute('aria-hidden', 'true');
    }

    this.zoom?.destroy();
    clearTimeout(this.attachTimer);
    this.seats.clear();
    this.selected.clear();
    this.labels.clear();
    this.active = null;
    this.grid = null;
    this.complete = false;
    this.svg = root;
    this.zoom = new ZoomView(root, { onChange: (scale) => this.onZoom?.(scale) });

    if (!split) {
      this.addSeats(root.querySelectorAll('circle.seat[id]'));
      this.fitView(this.extent());
      this.finish();
    } else {
      let group = root.querySelector('g.seats');
      if (!group) {
        group = document.createElementNS(SVG_NS, 'g');
        group.setAttribute('class', 'seats');
        root.append(group);
      }
      // The plan's own viewBox: cropping it would need every seat parsed.
      const [x, y, width, height] = root.getAttribute('viewBox').split(/[\s,]+/).map(Number);
      this.fitView({ x, y, width, height });
      const chunk = (size) => {
        if (generation !== this.generation) return;   // another plan since
        const text = split.next(size);
        if (!text) {
          this.finish();
          return;
        }
        const elements = parseSeats(text);
        this.addSeats(elements.filter((el) => el.localName === 'circle' && el.classList.contains('seat') && el.id));
        group.append(...elements);
        // One chunk per frame, at background priority: the page draws what
        // it has, and clicks, keys and channel messages go first.
        requestAnimationFrame(() => background(() => chunk(SEATS_PER_CHUNK)));
      };
      chunk(FIRST_CHUNK);   // the front rows, as soon as possible
    }
    this.chooseActive();
    // Into the page once the states are known (or the channel is slow): a
    // grey plan drawn and then restyled a moment later is two full style
    // and layout passes over every seat instead of one.
    if (this.states.size) this.attach();
    else this.attachTimer = setTimeout(() => this.attach(), ATTACH_WAIT_MS);
    this.onSelectionChange?.([]);
  }

  addSeats(seats) {
    const known = this.states.size > 0;
    for (const seat of seats) {
      this.seats.set(seat.id, seat);
      seat.setAttribute('role', 'checkbox');
      // Focusable (a screen reader or a click may focus any seat) but out of
      // the Tab order: only the active seat gets tabindex 0.
      seat.setAttribute('tabindex', '-1');
      // Before the first snapshot there is nothing to paint: the snapshot
      // paints every seat anyway, so 20,000 seats are not done twice.
      if (known) this.paint(seat);
    }
  }

  /** All seats are in: the arrow keys get their rows. */
  finish() {
    this.grid = new SeatGrid(this.seats.values());
    this.complete = true;
    if (!this.touched) this.chooseActive();
    performance.mark('marquee:seatmap-complete');
    this.onComplete?.();
  }

  attach() {
    clearTimeout(this.attachTimer);
    if (!this.svg || this.svg.isConnected) return;
    this.container.replaceChildren(this.svg);
  }

  /**
   * Trims the plan's empty margins so the seats get the space, and allows
   * zooming far enough that a seat is at least a finger wide.
   *
   * The extent is added up from the shapes' own attributes: getBBox() would
   * lay out all 20,000 seats before the first frame could.
   */
  fitView(box) {
    // The aspect ratio of the element follows the plan (see .plan in seatmap.css).
    this.svg.style.setProperty('aspect-ratio', `${box.width} / ${box.height}`);
    this.svg.setAttribute('viewBox', `${box.x} ${box.y} ${box.width} ${box.height}`);
    // Measured when first needed: by then the plan is laid out anyway, and
    // the seats of a large plan are all in.
    this.zoom.setBase(box, () => {
      const radius = this.smallestRadius();
      const rect = this.svg.getBoundingClientRect();
      const fit = rect.width ? Math.min(rect.width / box.width, rect.height / box.height) : 0;
      const seatPx = 2 * radius * fit;
      return seatPx > 0 ? (FINGER_PX * 1.5) / seatPx : 0;
    });
  }

  /** The extent of the plan's shapes, from their attributes. */
  extent() {
    const svg = this.svg;
    const number = (el, name) => Number(el.getAttribute(name)) || 0;
    if (svg.querySelector('[transform]')) {
      try {
        const b = svg.getBBox();
        if (b.width > 0 && b.height > 0) return { x: b.x - 6, y: b.y - 6, width: b.width + 12, height: b.height + 12 };
      } catch { /* not rendered: fall through */ }
    }
    let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
    const add = (left, top, right, bottom) => {
      if (left < x0) x0 = left;
      if (top < y0) y0 = top;
      if (right > x1) x1 = right;
      if (bottom > y1) y1 = bottom;
    };
    for (const seat of this.seats.values()) {
      const cx = number(seat, 'cx'); const cy = number(seat, 'cy'); const r = number(seat, 'r');
      add(cx - r, cy - r, cx + r, cy + r);
    }
    for (const rect of svg.querySelectorAll('rect')) {
      add(number(rect, 'x'), number(rect, 'y'), number(rect, 'x') + number(rect, 'width'), number(rect, 'y') + number(rect, 'height'));
    }
    // Labels: about a line high above their baseline, a few glyphs wide.
    for (const text of svg.querySelectorAll('text')) {
      const size = Number(text.closest('[font-size]')?.getAttribute('font-size')) || 12;
      add(number(text, 'x') - size, number(text, 'y') - size, number(text, 'x') + size, number(text, 'y') + size / 3);
    }
    if (!Number.isFinite(x0) || x1 <= x0 || y1 <= y0) {
      const [x, y, width, height] = (svg.getAttribute('viewBox') || '0 0 100 100').split(/[\s,]+/).map(Number);
      return { x, y, width, height };
    }
    const pad = 6;
    return { x: x0 - pad, y: y0 - pad, width: x1 - x0 + 2 * pad, height: y1 - y0 + 2 * pad };
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

  /** The seat that gets the Tab stop: the first free seat nearest the stage. */
  chooseActive() {
    const free = (s) => this.states.get(s.id) === 'available';
    // Before the rows are built (chunks still coming), the first free seat
    // in plan order: the server writes the front rows first.
    const seat = this.grid
      ? this.grid.first(free) || this.grid.first()
      : [...this.seats.values()].find(free) || this.seats.values().next().value;
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

  /**
   * On a phone a whole plan is too small to tap one seat: a tap zooms in
   * around the finger until seats are finger-sized. True when it zoomed.
   */
  fingerZoom(clientX, clientY) {
    if (this.zoom.lastPointerType !== 'touch') return false;
    const px = 2 * this.smallestRadius() * this.zoom.pixelsPerUnit();
    if (!(px > 0 && px < FINGER_PX)) return false;
    this.zoom.zoomBy((FINGER_PX * 1.15) / px, clientX, clientY);
    return true;
  }

  click(seat) {
    const box = seat.getBoundingClientRect();
    if (this.fingerZoom(box.left + box.width / 2, box.top + box.height / 2)) return;
    this.setActive(seat, { focus: true, preventScroll: true });
    this.toggle(seat.id);
  }

  /**
   * Applies absolute seat states. A snapshot is painted at once; updates are
   * collected and painted in the next animation frame, so a burst of channel
   * messages costs one repaint (and a hidden tab none until it is shown).
   */
  apply(seatStates, { immediate = false } = {}) {
    for (const label in seatStates) {
      const state = seatStates[label];
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
    this.attach();
    // Until the customer moves in the map, its Tab stop follows the first
    // free seat (the plan may arrive before the states do).
    if (this.svg && !this.touched) this.chooseActive();
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
    const row = seat.getAttribute('data-row');
    const number = seat.getAttribute('data-number');
    const place = row && number ? `Row ${row}, seat ${number}` : `Seat ${seat.id}`;
    const category = this.categoryText(seat.getAttribute('data-category'));
    return category ? `${place}, ${category}, ${this.spokenState(seat)}` : `${place}, ${this.spokenState(seat)}`;
  }

  /**
   * Writes a seat's look and its spoken label. Only what changed is written
   * (remembered on the element): a snapshot of 20,000 seats where 30 changed
   * then costs 30 attribute writes, not 100,000.
   */
  paint(seat) {
    const label = seat.id;
    const state = this.states.get(label);
    const selected = this.selected.has(label);
    const mine = state === 'held' && this.mine.has(label);
    let className = state ? `seat seat--${state}` : 'seat';
    if (selected) className += state === 'available' ? ' seat--selected' : ' seat--selected seat--taken';
    if (mine) className += ' seat--mine';
    const painted = seat.marqueePainted || (seat.marqueePainted = {});
    const write = (name, value) => {
      if (painted[name] === value) return;
      painted[name] = value;
      if (value === null) seat.removeAttribute(name);
      else seat.setAttribute(name, value);
    };
    write('class', className);
    write('data-state', state || null);
    write('aria-checked', selected ? 'true' : 'false');
    write('aria-disabled', state === 'available' || selected ? null : 'true');
    write('aria-label', this.spokenLabel(seat));
    if (seat.dataset.titled) {
      const title = seat.querySelector('title');
      if (title) title.textContent = painted['aria-label'];
    }
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.attachTimer);
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
