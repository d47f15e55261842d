// The order page, reached by the order's secret link
// (/order.html?order=o_…&outcome=…#key=…): what happened to the payment, in
// plain words, then one card per ticket with its QR code, and the PDF.
//
// The key lives in the fragment, which browsers never send to a server, and
// is used only in the Authorization header (api.js). Nothing here loads
// anything from elsewhere: no fonts, no analytics, no images but the QR
// codes the server drew.

import { api, ApiError } from './api.js';
import { cartTokenFor, settleCheckout } from './checkout-record.js';
import { formatDate, formatMoney, listOf } from './format.js';

const $ = (id) => document.getElementById(id);
const POLL_MS = 2000;
const POLL_FOR_MS = 3 * 60 * 1000;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const PAYMENT_STATE = {
  pending: 'Waiting for payment',
  confirmed: 'Paid',
  failed: 'Declined',
  refund_due: 'Refund under way',
  refunded: 'Refunded',
};

const query = new URLSearchParams(location.search);
const orderId = query.get('order') || '';
const outcome = query.get('outcome') || '';
// Without the link's key (back from a provider, which is never told it) the
// cart that paid opens the order, and the order's link then replaces the
// address, so that a bookmark or a reload keeps working.
let key = new URLSearchParams(location.hash.slice(1)).get('key') || '';
let needsLink = false;
if (!key) {
  key = cartTokenFor(orderId);
  needsLink = Boolean(key);
}
// Seat labels named by the payment page's redirect: shown as text only, and
// only when they look like labels.
const lostSeats = (query.get('seats') || '').split(',').filter((s) => /^[\w .-]{1,24}$/.test(s));

// The QR code is an SVG document drawn by the server. It is parsed as SVG
// and only its drawing survives (no scripts, handlers, links or styles), so
// even a corrupted answer cannot run anything in this page.
const QR_ELEMENTS = new Set(['svg', 'g', 'rect', 'path']);
const QR_ATTRIBUTES = new Set(['xmlns', 'version', 'viewBox', 'shape-rendering', 'width', 'height', 'x', 'y', 'd', 'fill']);

export function qrNode(text, label) {
  const parsed = new DOMParser().parseFromString(String(text || ''), 'image/svg+xml');
  const root = parsed.documentElement;
  if (!root || root.localName !== 'svg' || root.namespaceURI !== 'http://www.w3.org/2000/svg'
      || parsed.getElementsByTagName('parsererror').length) return null;
  for (const node of [root, ...root.querySelectorAll('*')]) {
    if (!QR_ELEMENTS.has(node.localName) || node.namespaceURI !== root.namespaceURI) {
      node.remove();
      continue;
    }
    for (const attribute of [...node.attributes]) {
      if (!QR_ATTRIBUTES.has(attribute.name)) node.removeAttribute(attribute.name);
    }
  }
  const svg = document.importNode(root, true);
  // Sized by order.css: large enough for a phone's camera at the door.
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  svg.setAttribute('class', 'ticket__qr-code');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('focusable', 'false');
  return svg;
}

function fact(list, term, value, className) {
  const row = el('div');
  row.append(el('dt', '', term), el('dd', className || '', value));
  list.append(row);
}

function renderTicket(ticket, currency, index, count) {
  const item = el('li', `ticket ticket--${ticket.state}`);
  item.dataset.code = ticket.code;
  const main = el('div', 'ticket__main');
  main.append(el('p', 'ticket__count', `Ticket ${index + 1} of ${count}`));
  main.append(el('h3', 'ticket__event', ticket.eventName || ticket.event));
  const when = el('time', 'ticket__when', formatDate(ticket.startsAt, ticket.timeZone));
  when.dateTime = ticket.startsAt;
  main.append(when);
  if (ticket.venue) main.append(el('p', 'ticket__venue', ticket.venue));
  const facts = el('dl', 'ticket__facts');
  fact(facts, ticket.seat ? 'Seat' : 'Entry', ticket.seat || 'General admission', 'ticket__seat');
  fact(facts, 'Category', ticket.categoryName || ticket.category || '');
  fact(facts, 'Price', formatMoney(ticket.price, currency));
  main.append(facts);
  if (ticket.redeemedAt) {
    main.append(el('p', 'ticket__state', `Checked in ${formatDate(ticket.redeemedAt, ticket.timeZone)}.`));
  }
  item.append(main);

  const stub = el('div', 'ticket__stub');
  if (ticket.state === 'valid') {
    const what = ticket.seat ? `seat ${ticket.seat}` : 'general admission';
    const qr = qrNode(ticket.qr, `QR code of the ticket for ${what}`);
    if (qr) {
      const figure = el('figure', 'ticket__qr');
      figure.append(qr);
      stub.append(figure);
    } else {
      stub.append(el('p', 'ticket__state', 'The QR code could not be shown: use the PDF or the code below.'));
    }
  } else {
    stub.append(el('p', 'ticket__void', 'No longer valid'));
  }
  const code = el('p', 'ticket__code mono');
  code.append(el('span', 'visually-hidden', 'Ticket code: '), document.createTextNode(ticket.code || ''));
  stub.append(code);
  item.append(stub);
  return item;
}

/** Title and lead for what happened, from the order's state (and the redirect's outcome). */
function headline(order) {
  const total = formatMoney(order.total, order.currency);
  const payment = order.payment?.state;
  const refundWords = payment === 'refunded' ? 'has been refunded' : 'is being refunded to you; there is nothing you need to do';
  if (order.state === 'paid') {
    if (outcome === 'retaken') {
      return { kind: 'retaken', kicker: 'Paid, just in time', title: 'You’re going!',
        lead: 'Your hold had run out before the payment arrived, but your seats were still free — they are yours now. Your tickets are below.' };
    }
    return { kind: 'paid', kicker: 'Payment confirmed', title: 'You’re going!',
      lead: `Thank you${order.buyer ? `, ${order.buyer}` : ''}. Your tickets are below; we have also sent them to you by e-mail.` };
  }
  if (order.state === 'pending') {
    return { kind: 'pending', kicker: 'Almost there', title: 'Waiting for your payment',
      lead: 'The payment provider has not confirmed your payment yet. This page updates by itself.' };
  }
  const refunded = payment === 'refund_due' || payment === 'refunded';
  if (order.state === 'void' && outcome === 'too_late') {
    return { kind: 'refund', kicker: 'Not sold', title: 'Sorry — your payment came too late',
      lead: `Your hold had run out long before the payment arrived (or the event had begun), so your seats went back on sale. Nothing was sold, and your payment of ${total} ${refundWords}.` };
  }
  if (order.state === 'void' && (outcome === 'refund' || refunded)) {
    const seats = lostSeats.length
      ? `${lostSeats.length === 1 ? 'seat' : 'seats'} ${listOf(lostSeats)} ${lostSeats.length === 1 ? 'was' : 'were'}`
      : 'the tickets were';
    return { kind: 'refund', kicker: 'Not sold', title: 'Sorry — your seats were taken',
      lead: `Your payment arrived after your hold had run out, and meanwhile ${seats} taken by someone else. Nothing was sold, and your payment of ${total} ${refundWords}.` };
  }
  if (order.state === 'refunded') {
    return { kind: 'refunded', kicker: 'Refunded', title: 'This order was refunded',
      lead: `Its tickets are no longer valid. The payment of ${total} ${refundWords}.` };
  }
  return { kind: 'void', kicker: 'Cancelled', title: 'This order was cancelled',
    lead: 'Nothing was sold and nothing was charged.' };
}

function render(order) {
  const head = headline(order);
  $('order-head').dataset.outcome = head.kind;
  $('order-kicker').textContent = head.kicker;
  $('order-title').textContent = head.title;
  $('order-lead').textContent = head.lead;
  $('order-id').textContent = order.order;
  $('order-buyer').textContent = order.buyer || '—';
  $('order-total').textContent = formatMoney(order.total, order.currency);
  const payment = $('order-payment');
  payment.textContent = PAYMENT_STATE[order.payment?.state] || order.payment?.state || '—';
  payment.dataset.state = order.payment?.state || '';
  document.title = `${head.title} · Marquee`;

  const tickets = order.tickets || [];
  $('tickets').replaceChildren(...tickets.map((t, i) => renderTicket(t, order.currency, i, tickets.length)));
  $('tickets-section').hidden = tickets.length === 0;
  const valid = tickets.some((t) => t.state === 'valid');
  $('order-actions').hidden = !valid;
  $('order-footer').hidden = !valid;
  $('order-again').hidden = valid || order.state === 'pending';
  $('order-private').hidden = tickets.length === 0;
  $('order-loading').hidden = true;
  $('order-head').hidden = false;

  // Settled: the cart that paid for this has nothing left to do.
  if (order.state !== 'pending') settleCheckout(order.order);
}

function problem(title, text) {
  $('order-loading').hidden = true;
  $('order-head').hidden = true;
  $('problem-title').textContent = title;
  $('problem-text').textContent = text;
  $('order-problem').hidden = false;
  document.title = `${title} · Marquee`;
}

async function downloadPdf() {
  const button = $('download-pdf');
  const status = $('pdf-status');
  button.disabled = true;
  status.textContent = 'Preparing your PDF…';
  try {
    const blob = await api.ticketsPdf(orderId, key);
    const url = URL.createObjectURL(blob);
    const link = el('a');
    link.href = url;
    link.download = `marquee-tickets-${orderId}.pdf`;
    document.body.append(link);
    link.click();
    link.remove();
    // Long enough for the browser to have read it.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status.textContent = 'Your PDF is downloading.';
  } catch (error) {
    status.textContent = `The PDF could not be made: ${error.message}`;
  } finally {
    button.disabled = false;
  }
}

/** Puts the order's secret link in the address bar, keeping what the redirect said. */
function adoptLink(link) {
  const url = new URL(link, location.href);
  if (url.origin !== location.origin) return;
  for (const [name, value] of query) if (name !== 'order') url.searchParams.set(name, value);
  history.replaceState(null, '', url);
  key = new URLSearchParams(url.hash.slice(1)).get('key') || key;
  needsLink = false;
}

async function load() {
  if (!orderId || !key) {
    problem('This link is incomplete', 'Open the link from your confirmation e-mail again, whole: the part after “#” is needed too.');
    return;
  }
  const started = Date.now();
  for (;;) {
    let order;
    try {
      order = await api.order(orderId, key);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) {
        problem('This link does not open an order', 'It may be incomplete or mistyped. Open the link from your confirmation e-mail again, whole.');
      } else {
        problem('Your order cannot be shown right now', `${error.message} Reload this page in a moment.`);
      }
      return;
    }
    if (needsLink && order.link) adoptLink(order.link);
    render(order);
    if (order.state !== 'pending' || Date.now() - started > POLL_FOR_MS) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

$('download-pdf').addEventListener('click', downloadPdf);
load();
