/**
 * Shows JPEG frames (Blobs) as fast as the browser can decode them, and no faster.
 *
 * Latest wins: while one frame is being decoded, newer frames replace each other in a
 * one-slot mailbox and only the newest is decoded next; the replaced ones count as skipped.
 * While the page is hidden nothing is decoded at all; the newest frame is shown on return.
 *
 * Two implementations: a canvas fed by createImageBitmap (off the main thread), and for
 * browsers without it an <img> fed by object URLs, where every URL is revoked once the
 * next image has loaded (so at most two exist at any time).
 */

class LatestWinsRenderer {
  /**
   * @param {HTMLElement} element the canvas or img
   * @param {{onDrawn?: (w: number, h: number) => void, onSkipped?: () => void, onBadFrame?: (e: Error) => void}} events
   */
  constructor(element, events = {}) {
    this.element = element;
    this.events = events;
    this.busy = false;
    this.pending = null;
    this.destroyed = false;
    this.onVisibility = () => {
      if (!document.hidden) this.drain();
    };
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  /** Offers a frame; never blocks and never queues more than one. */
  push(blob) {
    if (this.destroyed) return;
    if (this.pending) this.events.onSkipped?.();
    this.pending = blob;
    this.drain();
  }

  drain() {
    if (this.busy || !this.pending || this.destroyed || document.hidden) return;
    const blob = this.pending;
    this.pending = null;
    this.busy = true;
    this.show(blob)
      .then((size) => {
        if (size && !this.destroyed) this.events.onDrawn?.(size.width, size.height);
      })
      .catch((e) => {
        if (!this.destroyed) this.events.onBadFrame?.(e);
      })
      .finally(() => {
        this.busy = false;
        this.drain();
      });
  }

  destroy() {
    this.destroyed = true;
    this.pending = null;
    document.removeEventListener('visibilitychange', this.onVisibility);
  }
}

class CanvasRenderer extends LatestWinsRenderer {
  constructor(canvas, events) {
    super(canvas, events);
    this.context = canvas.getContext('2d', { alpha: false });
  }

  async show(blob) {
    const bitmap = await createImageBitmap(blob);
    try {
      if (this.destroyed) return null;
      const canvas = this.element;
      if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
        canvas.width = bitmap.width;
        canvas.height = bitmap.height;
      }
      this.context.drawImage(bitmap, 0, 0);
      return { width: bitmap.width, height: bitmap.height };
    } finally {
      bitmap.close();
    }
  }

  clear() {
    this.element.width = 0;
    this.element.height = 0;
  }
}

class ImgRenderer extends LatestWinsRenderer {
  constructor(img, events) {
    super(img, events);
    this.shownUrl = null;
    this.liveUrls = 0;
  }

  show(blob) {
    const img = this.element;
    const url = URL.createObjectURL(blob);
    this.liveUrls++;
    return new Promise((resolve, reject) => {
      img.onload = () => {
        this.revoke(this.shownUrl);
        this.shownUrl = url;
        if (this.destroyed) this.clear();
        resolve({ width: img.naturalWidth, height: img.naturalHeight });
      };
      img.onerror = () => {
        this.revoke(url);
        reject(new Error('the browser could not decode a frame'));
      };
      img.src = url;
    });
  }

  revoke(url) {
    if (!url) return;
    URL.revokeObjectURL(url);
    this.liveUrls--;
  }

  clear() {
    this.element.removeAttribute('src');
    this.revoke(this.shownUrl);
    this.shownUrl = null;
  }

  destroy() {
    super.destroy();
    if (!this.busy) this.clear();
  }
}

/** True when the canvas path can be used (and ?renderer=img does not ask for the fallback). */
export function canvasSupported() {
  const forced = new URLSearchParams(window.location.search).get('renderer');
  return forced !== 'img' && typeof createImageBitmap === 'function';
}

/** Creates the display element (canvas or img) and its renderer. */
export function createRenderer(events) {
  if (canvasSupported()) {
    const canvas = document.createElement('canvas');
    canvas.width = 0;
    canvas.height = 0;
    return new CanvasRenderer(canvas, events);
  }
  const img = document.createElement('img');
  img.decoding = 'async';
  img.alt = '';
  return new ImgRenderer(img, events);
}
