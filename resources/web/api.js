// The JSON API (server/API.md). Every call returns parsed JSON or throws an
// ApiError carrying the status and the server's {"error","message",...} body.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `The server answered ${status}.`);
    this.name = 'ApiError';
    this.status = status;
    this.code = (body && body.error) || 'http_error';
    this.body = body || {};
  }
}

// Difference between the server's clock and ours, learnt from the Date header,
// so hold countdowns are right even when the customer's clock is off.
let clockOffsetMs = 0;

/** Date.now() corrected to the server's clock. */
export function serverNow() {
  return Date.now() + clockOffsetMs;
}

function learnClock(response) {
  const header = response.headers.get('Date');
  const serverTime = header ? Date.parse(header) : NaN;
  // The header has a resolution of one second: ignore small differences.
  if (!Number.isNaN(serverTime)) {
    const offset = serverTime - Date.now();
    clockOffsetMs = Math.abs(offset) > 2000 ? offset : 0;
  }
}

async function request(method, path, { body, token, accept = 'application/json', blob = false } = {}) {
  const headers = { Accept: accept };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (cause) {
    const error = new ApiError(0, { error: 'network', message: 'The box office cannot be reached. Check your connection and try again.' });
    error.cause = cause;
    throw error;
  }
  learnClock(response);
  if (response.status === 204) return null;
  if (blob && response.ok) return response.blob();
  const text = await response.text();
  if (!response.ok) {
    let parsed = null;
    try { parsed = JSON.parse(text); } catch { /* not JSON: keep the status only */ }
    throw new ApiError(response.status, parsed);
  }
  if (accept !== 'application/json') return text;
  return text ? JSON.parse(text) : null;
}

const enc = encodeURIComponent;

export const api = {
  events: () => request('GET', '/api/v1/events'),
  event: (slug) => request('GET', `/api/v1/events/${enc(slug)}`),
  plan: (path) => request('GET', path, { accept: 'image/svg+xml' }),
  availability: (slug) => request('GET', `/api/v1/events/${enc(slug)}/availability`),

  createCart: () => request('POST', '/api/v1/carts'),
  cart: (cart, token) => request('GET', `/api/v1/carts/${enc(cart)}`, { token }),
  hold: (cart, token, body) => request('POST', `/api/v1/carts/${enc(cart)}/holds`, { token, body }),
  release: (cart, token, hold) => request('DELETE', `/api/v1/carts/${enc(cart)}/holds/${enc(hold)}`, { token }),
  renew: (cart, token, hold) => request('POST', `/api/v1/carts/${enc(cart)}/holds/${enc(hold)}/renew`, { token }),
  checkout: (cart, token, buyer) => request('POST', `/api/v1/carts/${enc(cart)}/checkout`, { token, body: buyer }),

  // The order link's key goes only in the Authorization header, never in a
  // URL: addresses end up in logs and histories, headers do not.
  order: (order, key) => request('GET', `/api/v1/orders/${enc(order)}`, { token: key }),
  ticketsPdf: (order, key) => request('GET', `/api/v1/orders/${enc(order)}/tickets.pdf`, { token: key, accept: 'application/pdf', blob: true }),
};
