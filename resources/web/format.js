// Display formatting. Money arrives as integer minor units plus an ISO
// currency code; it is turned into an exact decimal string (never a float) and
// handed to Intl.NumberFormat, which accepts decimal strings.

// The page is written in English (<html lang="en">): numbers and dates follow
// the document's language, not the browser's, or a German browser would get
// "Montag, 21. Dezember" inside English sentences.
const locale = document.documentElement.lang || 'en';
const moneyFormats = new Map();

function moneyFormat(currency) {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  return format;
}

/** Number of decimals of the currency's minor unit (EUR 2, JPY 0, KWD 3). */
function minorDigits(currency) {
  return moneyFormat(currency).resolvedOptions().maximumFractionDigits;
}

/** formatMoney(4500, 'EUR') -> "€45.00" (in the page's language). */
export function formatMoney(minorUnits, currency) {
  if (!Number.isInteger(minorUnits) || !currency) return '';
  const digits = minorDigits(currency);
  const negative = minorUnits < 0;
  const magnitude = String(Math.abs(minorUnits)).padStart(digits + 1, '0');
  const decimal = digits === 0
    ? magnitude
    : `${magnitude.slice(0, -digits)}.${magnitude.slice(-digits)}`;
  return moneyFormat(currency).format(`${negative ? '-' : ''}${decimal}`);
}

const LONG = {
  weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
  hour: 'numeric', minute: '2-digit', timeZoneName: 'short',
};
const SHORT = {
  weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit',
  timeZoneName: 'short',
};
const dateFormats = new Map();

/**
 * A formatter in the venue's zone: the event starts at 19:30 where the venue
 * is, whatever the viewer's clock says. An unknown or missing zone (events
 * from a server that does not send "timeZone" yet) falls back to UTC, which
 * is at least labelled as such.
 */
function dateFormat(options, timeZone) {
  const key = `${options === LONG ? 'long' : 'short'}|${timeZone || ''}`;
  let format = dateFormats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone: timeZone || 'UTC' });
    } catch {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    }
    dateFormats.set(key, format);
  }
  return format;
}

export function formatDate(iso, timeZone) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dateFormat(LONG, timeZone).format(date);
}

export function formatShortDate(iso, timeZone) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dateFormat(SHORT, timeZone).format(date);
}

const pluralRules = new Intl.PluralRules('en');

/** plural(2, 'seat') -> "2 seats". The page's copy is English. */
export function plural(count, one, other = `${one}s`) {
  return `${count} ${pluralRules.select(count) === 'one' ? one : other}`;
}

/** "A1, A2 and A3" */
export function listOf(items) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Remaining time as m:ss (or h:mm:ss for long holds). */
export function formatCountdown(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}
