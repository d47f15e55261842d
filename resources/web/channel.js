// One event's live channel: ws(s)://host/events/{slug}/messages.
// The server sends a snapshot, then absolute updates numbered by `version`.
// This class keeps that sequence unbroken: an update that is not exactly
// last+1 triggers a resync, a lost connection is retried forever with capped
// exponential backoff and jitter, and every (re)connect starts from a snapshot.

const BACKOFF_START_MS = 500;
const BACKOFF_CAP_MS = 10_000;
const RESYNC_TIMEOUT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 10_000;
const CLOSE_UNKNOWN_EVENT = 4404;

export class EventChannel {
  /**
   * @param {string} slug
   * @param {object} handlers
   *   onSnapshot(message)  a full state (seats or available/capacity)
   *   onUpdate(message)    an in-order absolute update
   *   onStatus(status)     'connecting' | 'live' | 'reconnecting' | 'failed'
   */
  constructor(slug, { onSnapshot, onUpdate, onStatus }) {
    this.slug = slug;
    this.handlers = { onSnapshot, onUpdate, onStatus };
    this.socket = null;
    this.version = null;       // last applied version; null until a snapshot
    this.attempt = 0;          // consecutive failed connects
    this.retryTimer = 0;
    this.resyncTimer = 0;
    this.closed = false;
    this.status = null;
    this.onOnline = () => this.reconnectNow();
    window.addEventListener('online', this.onOnline);
    this.connect();
  }

  get url() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${location.host}/events/${encodeURIComponent(this.slug)}/messages`;
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    this.handlers.onStatus?.(status);
  }

  connect() {
    if (this.closed) return;
    this.setStatus(this.attempt === 0 && this.version === null ? 'connecting' : 'reconnecting');
    this.version = null;
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    // A connect that hangs (a half-open network) counts as a failure.
    const connectTimer = setTimeout(() => {
      if (socket.readyState === WebSocket.CONNECTING) socket.close();
    }, CONNECT_TIMEOUT_MS);
    socket.addEventListener('open', () => clearTimeout(connectTimer));
    socket.addEventListener('message', (event) => {
      if (socket === this.socket) this.receive(event.data);
    });
    socket.addEventListener('close', (event) => {
      clearTimeout(connectTimer);
      if (socket !== this.socket) return;
      this.socket = null;
      clearTimeout(this.resyncTimer);
      if (this.closed) return;
      if (event.code === CLOSE_UNKNOWN_EVENT) {
        this.setStatus('failed');
        return;
      }
      this.scheduleReconnect();
    });
    // 'error' is always followed by 'close'; reconnecting happens there.
  }

  receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (!message || message.event !== this.slug) return;

    if (message.type === 'snapshot') {
      clearTimeout(this.resyncTimer);
      this.resyncTimer = 0;
      this.version = message.version;
      this.attempt = 0;
      this.setStatus('live');
      this.handlers.onSnapshot?.(message);
      return;
    }
    if (message.type !== 'seats' && message.type !== 'availability') return;
    if (this.version === null || this.resyncTimer) return; // a snapshot is on its way
    if (message.version <= this.version) return;           // already reflected
    if (message.version !== this.version + 1) {
      this.resync();
      return;
    }
    this.version = message.version;
    this.handlers.onUpdate?.(message);
  }

  resync() {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: 'resync' }));
    // If no snapshot comes back, start over with a fresh connection.
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = 0;
      if (this.socket === socket) socket.close(4000, 'resync timeout');
    }, RESYNC_TIMEOUT_MS);
  }

  scheduleReconnect() {
    if (this.closed) return;
    this.setStatus('reconnecting');
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * 2 ** this.attempt);
    // Equal jitter: at least half the backoff, so a restarted server is not
    // hit by every browser at the same instant.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt = Math.min(this.attempt + 1, 16);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /**
   * After the tab slept: a socket that looks open may have died without a
   * close (the server dropped us while timers were paused), so ask for a
   * fresh snapshot; the resync timeout reconnects if none comes back.
   */
  refresh() {
    if (this.closed) return;
    if (this.socket?.readyState === WebSocket.OPEN && this.version !== null) this.resync();
    else this.reconnectNow();
  }

  reconnectNow() {
    if (this.closed || this.socket) return;
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    this.connect();
  }

  close() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.resyncTimer);
    window.removeEventListener('online', this.onOnline);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'event closed');
  }
}
