// One notice at a time, in a polite live region. A newer notice replaces the
// one on screen: a stack of stale messages ("A5 was taken", "added", "A5 was
// taken") contradicts itself. A notice that describes a condition ("A5 in
// your selection was taken") carries a test of that condition and is removed
// as soon as recheck() finds it no longer true, not only by its timer.

const LIFETIME_MS = { info: 6000, success: 5000, warning: 12000, error: 15000 };

let region = null;
let current = null;   // {node, stillApplies, timer}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function remove(entry) {
  if (!entry) return;
  clearTimeout(entry.timer);
  if (current === entry) current = null;
  entry.node.remove();
}

/**
 * Shows message, replacing any notice on screen.
 * options.stillApplies() -> false once the notice is out of date.
 */
export function notify(message, kind = 'info', { stillApplies } = {}) {
  region ??= document.getElementById('notices');
  if (!region) return;
  remove(current);
  const node = el('div', `notice notice--${kind}`);
  node.dataset.kind = kind;
  node.append(el('p', 'notice__text', message));
  const close = el('button', 'notice__close', '×');
  close.type = 'button';
  close.setAttribute('aria-label', 'Dismiss');
  node.append(close);

  const entry = { node, stillApplies, timer: 0 };
  close.addEventListener('click', () => remove(entry));
  // Hovering or focusing keeps a notice around long enough to be read.
  const arm = () => {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => remove(entry), LIFETIME_MS[kind] ?? 6000);
  };
  node.addEventListener('mouseenter', () => clearTimeout(entry.timer));
  node.addEventListener('mouseleave', arm);
  node.addEventListener('focusin', () => clearTimeout(entry.timer));
  node.addEventListener('focusout', arm);
  arm();

  current = entry;
  region.append(node);
}

/** Drops the notice on screen if what it says is no longer true. */
export function recheck() {
  if (current?.stillApplies && !current.stillApplies()) remove(current);
}

/** Drops the notice on screen (e.g. the event it was about was closed). */
export function clearNotice() {
  remove(current);
}
