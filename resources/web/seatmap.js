// The interactive seat map. The server's plan.svg (one <circle class="seat"
// id="A1" data-row data-number data-category> per seat) is parsed as text,
// cleaned, and imported into the page. Seat states only ever come from the
// channel; this module paints them with CSS classes and a data-state
// attribute and keeps the customer's selection consistent with them.

const SVG_NS = 'http://www.w3.org/2000/svg';
const STATES = ['available', 'held', 'sold', 'blocked'];
const STATE_CLASSES = [...STATES.map((s) => `seat--${s}`), 'seat--selected', 'seat--mine'];
const SPOKEN_STATE = {
  available: 'available',
  held: 'held',
  sold: 'sold',
  blocked: 'not for sale',
};
export const MAX_SEATS_PER_HOLD = 10;

/** Parses plan SVG text and drops anything active or styled inline (CSP). */
function parsePlan(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.localName !== 'svg' || root.namespaceURI !== SVG_NS
      || doc.getElementsByTagName('parsererror').length) {
    throw new Error('The seating plan could not be read.');
  }
  for (const el of root.querySelectorAll('script, foreignObject, iframe, image, use')) el.remove();
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'style'
          || ((name === 'href' || name === 'xlink:href') && !attr.value.startsWith('#'))) {
        el.removeAttribute(attr.name);
      }
    }
  }
  return root;
}

export class SeatMap {
  /**
   * @param {HTMLElement} container
   * @param {object} options
   *   category(code) -> {name, color, priceText} | undefined
   *   onSelectionChange(selectedLabels)
   *   onLimit()      the customer tried to select more than a hold allows
   */
  constructor(container, { category, onSelectionChange, onLimit }) {
    this.container = container;
    this.category = category;
    this.onSelectionChange = onSelectionChange;
    this.onLimit = onLimit;
    this.seats = new Map();      // label -> circle element
    this.states = new Map();     // label -> raw state
    this.selected = new Set();
    this.mine = new Set();       // labels held by this customer's cart
    this.svg = null;

    this.onClick = (event) => {
      const seat = event.target.closest?.('circle.seat');
      if (seat) this.toggle(seat.id);
    };
    this.onKeyDown = (event) => this.handleKey(event);
    container.addEventListener('click', this.onClick);
    container.addEventListener('keydown', this.onKeyDown);
  }

  /** Replaces the map with the plan in svgText. */
  render(svgText) {
    const imported = document.importNode(parsePlan(svgText), true);
    const viewBox = imported.getAttribute('viewBox');
    if (!viewBox) {
      const w = parseFloat(imported.getAttribute('width')) || 0;
      const h = parseFloat(imported.getAttribute('height')) || 0;
      if (w && h) imported.setAttribute('viewBox', `0 0 ${w} ${h}`);
    }
    imported.removeAttribute('width');
    imported.removeAttribute('height');
    imported.setAttribute('role', 'group');
    imported.setAttribute('aria-label', 'Seating plan');
    imported.setAttribute('focusable', 'false');
    imported.classList.add('plan');
    for (const decoration of imported.querySelectorAll('.rows, .stage, .stage-label')) {
      decoration.setAttribute('aria-hidden', 'true');
    }

    this.seats.clear();
    this.selected.clear();
    for (const seat of imported.querySelectorAll('circle.seat[id]')) {
      this.seats.set(seat.id, seat);
      seat.removeAttribute('fill');
      seat.setAttribute('role', 'checkbox');
      const category = this.category(seat.dataset.category);
      if (category?.color) seat.style.setProperty('--seat-color', category.color);
      const title = seat.querySelector('title') || seat.appendChild(document.createElementNS(SVG_NS, 'title'));
      title.textContent = [seat.id, category?.name, category?.priceText].filter(Boolean).join(' · ');
      this.paint(seat);
    }
    this.container.replaceChildren(imported);
    this.svg = imported;
    this.cropToContent();
    this.onSelectionChange?.([]);
  }

  /** Trims the plan's empty margins so the seats get the space. */
  cropToContent() {
    try {
      const box = this.svg.getBBox();
      if (box.width > 0 && box.height > 0) {
        const pad = 6;
        this.svg.setAttribute('viewBox',
          `${box.x - pad} ${box.y - pad} ${box.width + 2 * pad} ${box.height + 2 * pad}`);
      }
    } catch { /* not rendered (hidden): keep the plan's own viewBox */ }
  }

  /**
   * Applies absolute seat states (a snapshot or an update). Returns the labels
   * that were selected and are no longer available; they are deselected.
   */
  apply(seatStates) {
    const lost = [];
    for (const [label, state] of Object.entries(seatStates || {})) {
      if (!STATES.includes(state)) continue;
      this.states.set(label, state);
      const seat = this.seats.get(label);
      if (!seat) continue;
      if (state !== 'available' && this.selected.delete(label)) lost.push(label);
      this.paint(seat);
    }
    if (lost.length) this.onSelectionChange?.(this.selection());
    return lost;
  }

  /** Marks the seats this customer holds (shown as "in your cart"). */
  setMine(labels) {
    this.mine = new Set(labels);
    for (const seat of this.seats.values()) this.paint(seat);
  }

  stateOf(label) {
    return this.states.get(label);
  }

  selection() {
    return [...this.selected].sort(compareLabels);
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

  paint(seat) {
    const label = seat.id;
    const state = this.states.get(label);
    const selected = this.selected.has(label);
    const mine = state === 'held' && this.mine.has(label);
    seat.classList.remove(...STATE_CLASSES);
    if (state) {
      seat.classList.add(`seat--${state}`);
      seat.setAttribute('data-state', state);
    } else {
      seat.removeAttribute('data-state');
    }
    if (selected) seat.classList.add('seat--selected');
    if (mine) seat.classList.add('seat--mine');

    const interactive = state === 'available' || selected;
    seat.setAttribute('tabindex', interactive ? '0' : '-1');
    seat.setAttribute('aria-checked', selected ? 'true' : 'false');
    if (interactive) seat.removeAttribute('aria-disabled');
    else seat.setAttribute('aria-disabled', 'true');
    const category = this.category(seat.dataset.category);
    const spoken = mine ? 'in your cart' : (SPOKEN_STATE[state] || 'loading');
    seat.setAttribute('aria-label', ['Seat ' + label, category?.name, spoken].filter(Boolean).join(', '));
  }

  handleKey(event) {
    const seat = event.target.closest?.('circle.seat');
    if (!seat) return;
    if (event.key === 'Enter' || event.key === ' ' || event.key === 'Spacebar') {
      event.preventDefault();
      this.toggle(seat.id);
      return;
    }
    const direction = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[event.key];
    if (!direction) return;
    event.preventDefault();
    const next = this.neighbour(seat, direction);
    // Unavailable seats keep tabindex -1: out of the Tab order, but arrow
    // keys still reach them so their state can be read out.
    if (next) next.focus();
  }

  /** The nearest seat in a direction, preferring the same row or column. */
  neighbour(from, [dx, dy]) {
    const x0 = Number(from.getAttribute('cx'));
    const y0 = Number(from.getAttribute('cy'));
    let best = null;
    let bestScore = Infinity;
    for (const seat of this.seats.values()) {
      if (seat === from) continue;
      const ex = Number(seat.getAttribute('cx')) - x0;
      const ey = Number(seat.getAttribute('cy')) - y0;
      const along = ex * dx + ey * dy;
      if (along <= 1) continue;
      const across = Math.abs(ex * dy) + Math.abs(ey * dx);
      const score = along + across * 3;
      if (score < bestScore) {
        bestScore = score;
        best = seat;
      }
    }
    return best;
  }

  destroy() {
    this.container.removeEventListener('click', this.onClick);
    this.container.removeEventListener('keydown', this.onKeyDown);
    this.container.replaceChildren();
    this.seats.clear();
    this.states.clear();
    this.selected.clear();
  }
}

/** A2 before A10, B1 after A10. */
export function compareLabels(a, b) {
  return a.localeCompare(b, 'en', { numeric: true });
}
