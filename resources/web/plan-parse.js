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

/** The plan text without its XML prolog. */
function withoutProlog(text) {
  return String(text).replace(/^\s*<\?xml[^>]*\?>/, '');
}

/** Without the seats' <title>s (the map writes its own on hover): half the elements of a plan. */
function withoutTitles(text) {
  return text.replace(/<title>[^<]*<\/title>/g, '');
}

/** The whole plan as one <svg> element of this document. */
export function parsePlan(text) {
  const root = parseFragment(withoutTitles(withoutProlog(text))).querySelector('svg');
  if (!root || root.namespaceURI !== SVG_NS || !root.querySelector('circle.seat')) {
    throw new Error('The seating plan could not be read.');
  }
  scrub(root);
  clean(root);
  return document.adoptNode(root);
}

/**
 * A large plan cut into {root, next}: the skeleton parsed (an <svg> without
 * its seats) and next(n), which returns the text of the next n seats (''
 * at the end). Relies on the shape the server writes: all seats one after
 * another, with no group starting or ending among them and no transform
 * anywhere (a seat must not depend on its group for its place). Anything
 * else returns null: parse it whole then.
 *
 * Only the ends of the run of seats are looked for at first; the seats
 * themselves are cut out chunk by chunk, so the first chunk costs what a
 * small plan would.
 */
export function splitPlan(text) {
  // Titles are dropped chunk by chunk too (parseSeats), not in one pass
  // over megabytes before the first seat can be shown.
  const body = withoutProlog(text);
  if (/\btransform\s*=/.test(body)) return null;
  SEAT_TEXT.lastIndex = 0;
  const first = SEAT_TEXT.exec(body);
  const lastClass = body.lastIndexOf('class="seat"');
  if (!first || lastClass < first.index) return null;
  SEAT_TEXT.lastIndex = body.lastIndexOf('<circle', lastClass);
  const last = SEAT_TEXT.exec(body);
  if (!last) return null;
  const start = first.index;
  const end = last.index + last[0].length;
  if (body.indexOf('<g', start) < end && body.indexOf('<g', start) !== -1) return null;
  if (body.indexOf('</g', start) < end && body.indexOf('</g', start) !== -1) return null;
  const root = parseFragment(withoutTitles(body.slice(0, start) + body.slice(end))).querySelector('svg');
  if (!root || root.namespaceURI !== SVG_NS || !root.getAttribute('viewBox') || root.querySelector('.seat')) return null;
  scrub(root);
  clean(root);

  const seats = new RegExp(SEAT_TEXT.source, 'g');
  seats.lastIndex = start;
  let from = start;
  const next = (n) => {
    if (from >= end) return '';
    let to = from;
    for (let i = 0; i < n; i++) {
      const match = seats.exec(body);
      if (!match || match.index >= end) {
        to = end;
        break;
      }
      to = match.index + match[0].length;
    }
    // Whatever lies between seats (white space, a label) goes with them.
    const piece = body.slice(from, to);
    from = to;
    return piece;
  };
  return { root: document.adoptNode(root), next };
}

/** Seat text from splitPlan's next() as cleaned elements of this document. */
export function parseSeats(text) {
  const svg = parseFragment(`<svg xmlns="${SVG_NS}">${withoutTitles(text)}</svg>`).querySelector('svg');
  clean(svg);
  return [...document.adoptNode(svg).children];
}
