// Gentle, self-dismissing notices in a polite live region.

const LIFETIME_MS = { info: 6000, success: 5000, warning: 9000, error: 10000 };
const MAX_VISIBLE = 3;

let region = null;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function notify(message, kind = 'info') {
  region ??= document.getElementById('notices');
  if (!region) return;
  const notice = el('div', `notice notice--${kind}`);
  notice.append(el('p', 'notice__text', message));
  const close = el('button', 'notice__close', '×');
  close.type = 'button';
  close.setAttribute('aria-label', 'Dismiss');
  notice.append(close);

  let timer = 0;
  const dismiss = () => {
    clearTimeout(timer);
    notice.classList.add('notice--leaving');
    setTimeout(() => notice.remove(), 200);
  };
  close.addEventListener('click', dismiss);
  // Hovering or focusing keeps a notice around long enough to be read.
  const arm = () => { clearTimeout(timer); timer = setTimeout(dismiss, LIFETIME_MS[kind] ?? 6000); };
  notice.addEventListener('mouseenter', () => clearTimeout(timer));
  notice.addEventListener('mouseleave', arm);
  notice.addEventListener('focusin', () => clearTimeout(timer));
  notice.addEventListener('focusout', arm);
  arm();

  region.append(notice);
  while (region.children.length > MAX_VISIBLE) region.firstElementChild.remove();
}
