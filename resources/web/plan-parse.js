// Reading the server's plan.svg into elements of this page, cleaned of
// anything active, fast enough for 20,000 seats.
//
// The HTML parser (an inert <template>) reads a large plan about five times
// faster than DOMParser's XML parser, and its result is adopted rather than
// cloned. A large plan is also cut into its seats and the rest (the
// "skeleton": stage, row labels, groups) as text first, so that the seats
// can be parsed and shown a few thousand at a time, front rows first,
// instead of in one long task that freezes the page.

export const SVG_NS = 'http://www.w3.org/2000/svg';

// A seat as the server writes it: <circle ... class="seat" ...>...</circle>
// or <circle .../>. (Seat titles are dropped before this runs.)
const SEAT_TEXT = /<circle\b[^>]*?\bclass="(?:[^"]*\s)?seat(?:\s[^"]*)?"[^>]*?(?:\/>|>[\s\S]*?<\/circle>)/g;

const ALLOWED_SEAT_ATTRIBUTES = new Set(['id', 'class', 'cx', 'cy', 'r', 'fill', 'stroke', 'data-row',
  'data-number', 'data-category', 'data-accessible']);

/** Drops what could act or style itself from an element (CSP forbids both anyway). */
function scrub(el) {
  for (const name of el.getAttributeNames()) {
    const lower = name.toLowerCase();
    if (lower.startsWith('on') || lower === 'style'
        || ((lower === 'href' || lower === 'xlink:href') && !el.getAttribute(name).startsWith('#'))) {
      el.removeAttribute(name);
    }
  }
}

function clean(root) {
  for (const el of root.querySelectorAll('script, foreignObject, iframe, image, use, style, a')) el.remove();
  for (const el of root.getElementsByTagName('*')) {
    // Seats are the bulk: one with only the usual attributes needs no look
    // at each of them.
    if (el.localName === 'circle' && el.getAttributeNames().every((name) => ALLOWED_SEAT_ATTRIBUTES.has(name))) continue;
    scrub(el);
  }
}

function parseFragment(text) {
  const template = document.createElement('template');
  template.innerHTML = text;
  return template.content;
}

/** The plan text without its XML prolog and the seats' <title>s (the map writes its own). */
function trim(text) {
  return String(text).replace(/^\s*<\?xml[^>]*\?>/, '').replace(/<title>[^<]*<\/title>/g, '');
}

/** The whole plan as one <svg> element of this document. */
export function parsePlan(text) {
  const root = parseFragment(trim(text)).querySelector('svg');
  if (!root || root.namespaceURI !== SVG_NS || !root.querySelector('circle.seat')) {
    throw new Error('The seating plan could not be read.');
  }
  scrub(root);
  clean(root);
  return document.adoptNode(root);
}

/**
 * A large plan cut into {root, seatTexts}: the skeleton parsed (an <svg>
 * without seats) and the seats still as text, in document order. null when
 * the plan is not in the simple shape this relies on (a transform would move
 * seats with their group; a seat the pattern missed would be left in the
 * skeleton; without a viewBox the extent would need every seat): parse it
 * whole then.
 */
export function splitPlan(text) {
  const body = trim(text);
  if (/\btransform\s*=/.test(body)) return null;
  const seatTexts = [];
  const skeleton = body.replace(SEAT_TEXT, (seat) => {
    seatTexts.push(seat);
    return '';
  });
  if (!seatTexts.length) return null;
  const root = parseFragment(skeleton).querySelector('svg');
  if (!root || root.namespaceURI !== SVG_NS || !root.getAttribute('viewBox') || root.querySelector('.seat')) return null;
  scrub(root);
  clean(root);
  return { root: document.adoptNode(root), seatTexts };
}

/** Seat texts from splitPlan as cleaned <circle> elements of this document. */
export function parseSeats(seatTexts) {
  const svg = parseFragment(`<svg xmlns="${SVG_NS}">${seatTexts.join('')}</svg>`).querySelector('svg');
  clean(svg);
  return [...document.adoptNode(svg).children];
}
