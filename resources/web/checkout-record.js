// Which order this browser's cart went to checkout as, so that the order page
// can let go of the cart once the order is settled. Kept apart from cart.js
// because the order page must not load the seat map and the rest of the
// customer page just to forget a localStorage entry.
//
// 'marquee.cart' is cart.js's key (the cart id and its token); removing it
// is what cart.js itself does when a cart is gone, and every open tab of the
// customer page hears it through its storage event and empties its cart.

const CART_KEY = 'marquee.cart';
const CHECKOUT_KEY = 'marquee.checkout';

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || 'null');
  } catch {
    return null;
  }
}

/** Called just before the buyer is sent to the payment page. */
export function rememberCheckout(order, cart) {
  try {
    localStorage.setItem(CHECKOUT_KEY, JSON.stringify({ order, cart, at: Date.now() }));
  } catch { /* storage disabled: the cart simply stays until it runs out */ }
}

/**
 * The cart token that opens \p order, when this browser's cart checked out
 * as it: a buyer back from a payment provider has no order link yet, only
 * the cart that paid.
 */
export function cartTokenFor(order) {
  const record = read(CHECKOUT_KEY);
  const cart = read(CART_KEY);
  return record?.order === order && cart?.cart === record.cart ? String(cart.token || '') : '';
}

/**
 * The order is final (paid, or void and refunded): the cart that made it has
 * nothing left to pay for. Only that cart is forgotten — a newer cart started
 * in another tab meanwhile is not ours to drop.
 */
export function settleCheckout(order) {
  const record = read(CHECKOUT_KEY);
  if (!record || record.order !== order) return false;
  try {
    if (read(CART_KEY)?.cart === record.cart) localStorage.removeItem(CART_KEY);
    localStorage.removeItem(CHECKOUT_KEY);
  } catch { /* storage disabled */ }
  return true;
}
