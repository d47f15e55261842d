// Zoom and pan of the seat map by rewriting the SVG's viewBox: the browser
// redraws the vector plan sharp at every scale, and the element keeps its
// size in the page, so nothing around it moves. One set of listeners on the
// <svg> serves mouse, pen and touch alike through pointer events: a wheel or
// the buttons zoom around a point, one pointer drags, two pointers pinch.

const DRAG_THRESHOLD_PX = 6;   // a finger wobbles; below this a tap is a tap
const MIN_MAX_SCALE = 4;

export class ZoomView {
  /**
   * @param {SVGSVGElement} svg
   * @param {object} options
   *   onChange(scale)  after every change of the view
   */
  constructor(svg, { onChange } = {}) {
    this.svg = svg;
    this.onChange = onChange;
    this.base = null;           // the whole plan, {x, y, width, height}
    this.view = null;           // what is on screen now, same aspect as base
    this.maxScaleOf = () => MIN_MAX_SCALE;
    this.maxScaleValue = null;   // worked out on first use (it needs layout)
    this.pointers = new Map();  // pointerId -> {x, y}
    this.gesture = null;        // {startX, startY, distance, moved}
    this.suppressClick = false;
    this.lastPointerType = 'mouse';

    this.onPointerDown = (event) => this.pointerDown(event);
    this.onPointerMove = (event) => this.pointerMove(event);
    this.onPointerUp = (event) => this.pointerUp(event);
    this.onWheel = (event) => this.wheel(event);
    // A drag ends with a click on whatever seat is under the pointer; that
    // click is the end of a pan, not a choice, so it is swallowed here
    // (capture phase, before the seat map's own listener sees it).
    this.onClickCapture = (event) => {
      if (!this.suppressClick) return;
      this.suppressClick = false;
      event.stopPropagation();
      event.preventDefault();
    };
    svg.addEventListener('pointerdown', this.onPointerDown);
    svg.addEventListener('pointermove', this.onPointerMove);
    svg.addEventListener('pointerup', this.onPointerUp);
    svg.addEventListener('pointercancel', this.onPointerUp);
    svg.addEventListener('wheel', this.onWheel, { passive: false });
    svg.addEventListener('click', this.onClickCapture, true);
  }

  /** The plan's extent; the view starts as all of it. maxScale() is asked when first needed. */
  setBase(box, maxScale) {
    this.base = { ...box };
    this.view = { ...box };
    this.maxScaleOf = maxScale;
    this.maxScaleValue = null;
    this.apply();
  }

  get maxScale() {
    const value = Math.max(MIN_MAX_SCALE, this.maxScaleOf() || 0);
    // Not kept until the plan is on screen (a size of 0 says nothing yet).
    if (this.svg.isConnected) this.maxScaleValue ??= value;
    return this.maxScaleValue ?? value;
  }

  get scale() {
    return this.base ? this.base.width / this.view.width : 1;
  }

  /** CSS pixels per plan unit at the current view (the SVG is letterboxed). */
  pixelsPerUnit() {
    const rect = this.svg.getBoundingClientRect();
    if (!this.view || !rect.width) return 0;
    return Math.min(rect.width / this.view.width, rect.height / this.view.height);
  }

  toUser(clientX, clientY) {
    const rect = this.svg.getBoundingClientRect();
    const s = this.pixelsPerUnit() || 1;
    const offsetX = (rect.width - this.view.width * s) / 2;
    const offsetY = (rect.height - this.view.height * s) / 2;
    return {
      x: this.view.x + (clientX - rect.left - offsetX) / s,
      y: this.view.y + (clientY - rect.top - offsetY) / s,
    };
  }

  /** Zooms by factor keeping the plan point under (clientX, clientY) still. */
  zoomBy(factor, clientX, clientY) {
    if (!this.base) return;
    let anchor;
    if (clientX === undefined) {
      anchor = { x: this.view.x + this.view.width / 2, y: this.view.y + this.view.height / 2 };
    } else {
      anchor = this.toUser(clientX, clientY);
    }
    const scale = this.clampScale(this.scale * factor);
    const width = this.base.width / scale;
    const height = this.base.height / scale;
    const k = width / this.view.width;
    this.view = {
      x: anchor.x - (anchor.x - this.view.x) * k,
      y: anchor.y - (anchor.y - this.view.y) * k,
      width,
      height,
    };
    this.apply();
  }

  /** Shows the plan at scale with the plan point (x, y) in the middle. */
  zoomTo(scale, x, y) {
    if (!this.base) return;
    scale = this.clampScale(scale);
    const width = this.base.width / scale;
    const height = this.base.height / scale;
    this.view = { x: x - width / 2, y: y - height / 2, width, height };
    this.apply();
  }

  panByPixels(dx, dy) {
    const s = this.pixelsPerUnit();
    if (!s) return;
    this.view.x -= dx / s;
    this.view.y -= dy / s;
    this.apply();
  }

  reset() {
    if (!this.base) return;
    this.view = { ...this.base };
    this.apply();
  }

  /** Pans (never zooms) so that the circle (cx, cy, r) is inside the view. */
  ensureVisible(cx, cy, r) {
    if (!this.base || this.scale <= 1.001) return;
    const pad = Math.min(r * 3, this.view.width / 4);
    const v = this.view;
    if (cx - pad < v.x) v.x = cx - pad;
    if (cx + pad > v.x + v.width) v.x = cx + pad - v.width;
    if (cy - pad < v.y) v.y = cy - pad;
    if (cy + pad > v.y + v.height) v.y = cy + pad - v.height;
    this.apply();
  }

  clampScale(scale) {
    return Math.min(this.maxScale, Math.max(1, scale));
  }

  /** Keeps the view over the plan: no panning off into empty space. */
  clampView() {
    const b = this.base;
    const v = this.view;
    v.x = Math.min(Math.max(v.x, b.x), b.x + b.width - v.width);
    v.y = Math.min(Math.max(v.y, b.y), b.y + b.height - v.height);
  }

  apply() {
    this.clampView();
    const v = this.view;
    this.svg.setAttribute('viewBox', `${v.x} ${v.y} ${v.width} ${v.height}`);
    // Zoomed in, a finger on the plan pans it; at full view it scrolls the
    // page as usual (touch-action in style.css follows this class).
    this.svg.classList.toggle('plan--zoomed', this.scale > 1.001);
    this.onChange?.(this.scale);
  }

  wheel(event) {
    if (!this.base) return;
    event.preventDefault();
    const lines = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
    this.zoomBy(Math.exp(-event.deltaY * lines * 0.002), event.clientX, event.clientY);
  }

  pointerDown(event) {
    this.lastPointerType = event.pointerType || 'mouse';
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    this.suppressClick = false;
    this.gesture = this.describe();
  }

  describe() {
    const points = [...this.pointers.values()];
    const mid = points.reduce((m, p) => ({ x: m.x + p.x / points.length, y: m.y + p.y / points.length }), { x: 0, y: 0 });
    const distance = points.length >= 2 ? Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y) : 0;
    return { mid, distance, count: points.length, moved: this.gesture?.moved || false, start: this.gesture?.start || mid };
  }

  pointerMove(event) {
    const point = this.pointers.get(event.pointerId);
    if (!point || !this.gesture) return;
    point.x = event.clientX;
    point.y = event.clientY;
    const before = this.gesture;
    const now = this.describe();
    if (!before.moved) {
      const travelled = Math.hypot(now.mid.x - before.start.x, now.mid.y - before.start.y);
      if (travelled < DRAG_THRESHOLD_PX && now.count < 2) return;
      now.moved = true;
      // Only now: capturing on pointerdown would retarget the click of a
      // plain tap to the <svg>, and the seat under the finger would be lost.
      try { this.svg.setPointerCapture(event.pointerId); } catch { /* pointer already gone */ }
    }
    if (now.count >= 2 && before.distance > 0 && now.distance > 0) {
      this.zoomBy(now.distance / before.distance, now.mid.x, now.mid.y);
    }
    this.panByPixels(now.mid.x - before.mid.x, now.mid.y - before.mid.y);
    this.gesture = now;
  }

  pointerUp(event) {
    if (!this.pointers.delete(event.pointerId)) return;
    if (this.gesture?.moved) this.suppressClick = event.type === 'pointerup';
    this.gesture = this.pointers.size ? { ...this.describe(), moved: this.gesture?.moved } : null;
  }

  destroy() {
    const svg = this.svg;
    svg.removeEventListener('pointerdown', this.onPointerDown);
    svg.removeEventListener('pointermove', this.onPointerMove);
    svg.removeEventListener('pointerup', this.onPointerUp);
    svg.removeEventListener('pointercancel', this.onPointerUp);
    svg.removeEventListener('wheel', this.onWheel);
    svg.removeEventListener('click', this.onClickCapture, true);
  }
}
