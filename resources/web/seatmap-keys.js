// Keyboard use of the seat map: the whole plan is ONE Tab stop (a roving
// tabindex: only the active seat has tabindex="0"), and the arrow keys move
// inside it. Otherwise every seat is a Tab stop and a customer presses Tab
// a hundred times to get past the plan to "Add to cart".
//
// Seats are ordered into rows once (by data-row, else by their y position),
// each row left to right, so an arrow press is a lookup, not a search over
// 20,000 seats.

/** Rows of seats for arrow-key movement. */
export class SeatGrid {
  /** @param {Iterable<SVGCircleElement>} seats */
  constructor(seats) {
    const byRow = new Map();
    for (const seat of seats) {
      const x = Number(seat.getAttribute('cx')) || 0;
      const y = Number(seat.getAttribute('cy')) || 0;
      const key = seat.dataset.row || `y${Math.round(y)}`;
      let row = byRow.get(key);
      if (!row) {
        row = { seats: [], ySum: 0 };
        byRow.set(key, row);
      }
      row.seats.push({ seat, x, y });
      row.ySum += y;
    }
    this.rows = [...byRow.values()]
      .map((row) => ({ y: row.ySum / row.seats.length, seats: row.seats.sort((a, b) => a.x - b.x) }))
      .sort((a, b) => a.y - b.y);
    this.where = new Map();   // seat -> [row index, index in row]
    this.rows.forEach((row, r) => row.seats.forEach((entry, i) => this.where.set(entry.seat, [r, i])));
  }

  /** The seat a key leads to from `from`, or null (an edge). */
  move(from, key) {
    const at = this.where.get(from);
    if (!at) return this.first();
    const [r, i] = at;
    const row = this.rows[r].seats;
    switch (key) {
      case 'ArrowLeft': return row[i - 1]?.seat || null;
      case 'ArrowRight': return row[i + 1]?.seat || null;
      case 'Home': return row[0].seat;
      case 'End': return row[row.length - 1].seat;
      case 'ArrowUp': return this.nearestIn(r - 1, row[i].x);
      case 'ArrowDown': return this.nearestIn(r + 1, row[i].x);
      case 'PageUp': return this.nearestIn(Math.max(0, r - 5), row[i].x);
      case 'PageDown': return this.nearestIn(Math.min(this.rows.length - 1, r + 5), row[i].x);
      default: return null;
    }
  }

  /** The seat of row r closest to x (rows are sorted by x: binary search). */
  nearestIn(r, x) {
    const row = this.rows[r]?.seats;
    if (!row) return null;
    let lo = 0;
    let hi = row.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (row[mid].x < x) lo = mid + 1;
      else hi = mid;
    }
    const before = row[lo - 1];
    return before && Math.abs(before.x - x) < Math.abs(row[lo].x - x) ? before.seat : row[lo].seat;
  }

  first(accept = () => true) {
    for (const row of this.rows) {
      for (const entry of row.seats) if (accept(entry.seat)) return entry.seat;
    }
    return null;
  }
}

const ZOOM_KEYS = { '+': 1.5, '=': 1.5, '-': 1 / 1.5, '_': 1 / 1.5 };

/**
 * Handles a keydown inside the map. `map` provides: grid, active (seat),
 * setActive(seat, {focus}), toggle(label), zoom (ZoomView).
 * Returns true when the key was the map's.
 */
export function handleSeatKey(map, event) {
  if (event.altKey || event.ctrlKey || event.metaKey) return false;
  const seat = map.active;
  if (!seat) return false;
  if (event.key === 'Enter' || event.key === ' ' || event.key === 'Spacebar') {
    map.toggle(seat.id);
    return true;
  }
  if (ZOOM_KEYS[event.key]) {
    const r = Number(seat.getAttribute('r')) || 0;
    const zoom = map.zoom;
    // Zoom around the seat in focus, so it stays where the customer looks.
    zoom.zoomTo(zoom.scale * ZOOM_KEYS[event.key], Number(seat.getAttribute('cx')), Number(seat.getAttribute('cy')));
    zoom.ensureVisible(Number(seat.getAttribute('cx')), Number(seat.getAttribute('cy')), r);
    return true;
  }
  if (event.key === '0') {
    map.zoom.reset();
    return true;
  }
  const next = map.grid ? map.grid.move(seat, event.key) : null;   // rows not built yet: stay
  if (next === null && !/^(Arrow|Home|End|Page)/.test(event.key)) return false;
  if (next) map.setActive(next, { focus: true });
  return true;   // an arrow at the edge stays put instead of scrolling the page
}
