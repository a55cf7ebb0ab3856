/**
 * One camera's live view: a WebSocket to the relay, the picture, and a caption bar below it
 * (never over it, so the camera's own timestamp stays readable) with the name, connection state,
 * fps, resolution, frame age and skipped/dropped frames, each figure explained in its tooltip.
 *
 * WebSocket messages (docs/DESIGN.md, "Relay network interface"): every binary message is one
 * JPEG; with the camrelay.v1 subprotocol the relay also sends JSON text (hello, status,
 * control-reply) and accepts {"type":"control","id":N,"command":{...}}.
 *
 * States (also in the element's data-state): connecting, live, offline (relay reached, camera
 * not connected), reconnecting (waiting with backoff), auth (a token is needed), stopped,
 * replay (showing recorded frames, see replay()) and replay-ended.
 * The element also carries data-width/data-height (natural size of the last drawn frame),
 * data-frames (frames drawn), data-received and data-skipped, for tests and curious users.
 */
import { Backoff } from './backoff.js';
import { createRenderer } from './frame-renderer.js';
import * as format from './format.js';

const CONTROL_TIMEOUT_MS = 15000;
/** A connection that lasted this long counts as healthy: the next failure retries quickly again. */
const HEALTHY_AFTER_MS = 5000;
const FPS_WINDOW_MS = 2000;
const STALE_AFTER_MS = 3000;
const TICK_MS = 500;
const SKIP_TITLE =
  'skip: frames this page did not show because a newer one arrived while it was still decoding the previous one ' +
  '(newest wins, so the picture never lags behind)';
const DROP_TITLE =
  'drop: frames the camera sent that the relay threw away as broken (not a JPEG, truncated or too large), ' +
  'counted for all viewers of this camera';

let lastControlId = 0;

export class LiveView {
  /**
   * @param {import('./api.js').RelayApi} api
   * @param {string} cameraId
   * @param {{onFocus?: Function, onHandshakeFailed?: Function, onChange?: Function}} events
   */
  constructor(api, cameraId, events = {}) {
    this.api = api;
    this.cameraId = cameraId;
    this.events = events;
    this.backoff = new Backoff();
    this.ws = null;
    this.state = 'stopped';
    /** The camera accepts control commands (its /api/cameras entry says control:true). */
    this.control = false;
    /** This connection may send them (the relay's hello); null until the hello arrives. */
    this.controlPermitted = null;
    this.cameraConnected = null;
    this.status = null;
    this.info = null;
    this.pendingControls = new Map();
    this.drawnTimes = [];
    this.counts = { received: 0, frames: 0, skipped: 0, bad: 0 };
    this.lastReceiptAt = 0;
    this.reconnectAt = 0;
    this.reconnectTimer = 0;
    this.tickTimer = 0;
    this.width = 0;
    this.height = 0;
    /** While replaying recordings: where the replay started (epoch ms); null when live. */
    this.replayFrom = null;
    /** The recorded time of the replay's last frame (epoch ms), from the relay's replay-frame messages. */
    this.replayAt = null;

    this.renderer = createRenderer({
      onDrawn: (w, h) => this.drawn(w, h),
      onSkipped: () => {
        this.counts.skipped++;
      },
      onBadFrame: () => {
        this.counts.bad++;
      },
    });
    this.element = this.build();
  }

  build() {
    const picture = this.renderer.element;
    picture.classList.add('picture');
    picture.setAttribute('role', 'img');
    picture.setAttribute('aria-label', `Live picture of camera ${this.cameraId}`);
    picture.addEventListener('click', () => this.events.onFocus?.(this));

    this.titleButton = format.el('button', {
      type: 'button',
      class: 'view-title',
      'aria-label': `Focus camera ${this.cameraId}`,
      onclick: () => this.events.onFocus?.(this),
      text: this.cameraId,
    });
    this.stateBadge = format.el('span', { class: 'state-badge', role: 'status' });
    this.statsLine = format.el('div', { class: 'stats' });
    this.notice = format.el('div', { class: 'notice', hidden: true });
    this.element = format.el(
      'article',
      { class: 'view', 'data-camera': this.cameraId, 'aria-label': `Camera ${this.cameraId}` },
      format.el(
        'div',
        { class: 'stage' },
        picture,
        this.notice,
      ),
      format.el('div', { class: 'caption' }, this.titleButton, this.stateBadge, this.statsLine),
    );
    this.setState('stopped');
    return this.element;
  }

  get running() {
    return this.state !== 'stopped';
  }

  /** Connects (if not already) and keeps reconnecting until stop(). */
  start() {
    if (this.running && this.state !== 'auth') return;
    this.backoff.reset();
    this.connect();
    if (!this.tickTimer) this.tickTimer = setInterval(() => this.tick(), TICK_MS);
    this.tick();
  }

  /** Closes the connection and stops reconnecting (the view keeps its last picture). */
  stop() {
    clearTimeout(this.reconnectTimer);
    clearInterval(this.tickTimer);
    this.tickTimer = 0;
    this.closeSocket();
    this.setState('stopped');
    this.tick();
  }

  /** Reconnects now, e.g. after a new token was entered or the network came back. */
  reconnectNow() {
    if (!this.running) return;
    clearTimeout(this.reconnectTimer);
    this.closeSocket();
    this.backoff.reset();
    this.connect();
  }

  /** Called by the app when the relay refused our token: wait for a new one instead of retrying. */
  needToken() {
    clearTimeout(this.reconnectTimer);
    this.closeSocket();
    this.setState('auth');
  }

  destroy() {
    this.stop();
    this.renderer.destroy();
    this.element.remove();
  }

  /** Replays the camera's recordings from `fromMs` (epoch ms) instead of the live picture. */
  replay(fromMs) {
    this.replayFrom = fromMs;
    this.replayAt = null;
    this.reconnectAfterModeChange();
  }

  /** Back to the live picture after a replay. */
  goLive() {
    if (this.replayFrom == null) return;
    this.replayFrom = null;
    this.replayAt = null;
    this.reconnectAfterModeChange();
  }

  reconnectAfterModeChange() {
    clearTimeout(this.reconnectTimer);
    this.closeSocket();
    this.backoff.reset();
    this.element.dataset.mode = this.replayFrom == null ? 'live' : 'replay';
    if (!this.tickTimer) this.tickTimer = setInterval(() => this.tick(), TICK_MS);
    this.connect();
  }

  /** The viewer URL: live, or with ?from= for a replay (the relay then sends recorded frames). */
  viewerUrl() {
    const url = new URL(this.api.wsUrl(this.cameraId));
    if (this.replayFrom != null) url.searchParams.set('from', String(this.replayFrom));
    return url.href;
  }

  connect() {
    this.setState(this.replayFrom == null ? 'connecting' : 'replay');
    if (!this.api.hasWebSocket()) {
      this.connectMjpeg();
      return;
    }
    let ws;
    try {
      ws = new WebSocket(this.viewerUrl(), this.api.wsProtocols());
    } catch (e) {
      this.scheduleReconnect(`cannot open WebSocket: ${e.message}`);
      return;
    }
    ws.binaryType = 'blob';
    this.ws = ws;
    let openedAt = 0;
    ws.onopen = () => {
      openedAt = performance.now();
      if (this.replayFrom != null) this.setState('replay');
      else this.setState(this.cameraConnected === false ? 'offline' : 'live');
    };
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') this.onText(event.data);
      else this.onFrame(event.data);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.failPendingControls('the connection to the relay closed');
      if (this.replayFrom != null && (event.code === 1000 || event.code === 4404)) {
        // The replay ended, or there was nothing recorded there: stay on the last picture until "Live".
        this.setState('replay-ended');
        this.showNotice(event.code === 1000 ? 'Replay ended' : event.reason || 'Nothing recorded there', 'replay');
        return;
      }
      if (!openedAt) this.events.onHandshakeFailed?.(this);
      else if (performance.now() - openedAt > HEALTHY_AFTER_MS) this.backoff.reset();
      if (this.state !== 'auth' && this.running) this.scheduleReconnect(event.reason || `closed (${event.code})`);
    };
  }

  /**
   * Without the relay's WebSocket port the browser shows the MJPEG stream in an <img> itself:
   * no per-frame events (so no fps, age or controls here), but a live picture.
   */
  connectMjpeg() {
    if (!this.mjpeg) {
      this.mjpeg = format.el('img', { class: 'picture', alt: '', role: 'img', 'aria-label': `Live picture of camera ${this.cameraId}` });
      this.mjpeg.addEventListener('click', () => this.events.onFocus?.(this));
      this.renderer.element.replaceWith(this.mjpeg);
    }
    const img = this.mjpeg;
    img.onload = () => {
      this.drawn(img.naturalWidth, img.naturalHeight);
      this.setState(this.cameraConnected === false ? 'offline' : 'live');
    };
    img.onerror = () => this.scheduleReconnect('the MJPEG stream failed');
    if (this.replayFrom != null) {
      const url = new URL(this.api.linkUrl(this.cameraId, 'replay.mjpeg'));
      url.searchParams.set('from', String(this.replayFrom));
      img.src = url.href;
    } else {
      img.src = this.api.mjpegUrl(this.cameraId);
    }
  }

  closeSocket() {
    if (this.mjpeg) {
      this.mjpeg.onload = this.mjpeg.onerror = null;
      this.mjpeg.removeAttribute('src'); // ends the stream
    }
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onmessage = ws.onclose = null;
      // Closing a socket that is still connecting makes Chrome log an error; close it once it opens.
      if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close(1000, 'viewer closed');
      else {
        ws.onopen = null;
        ws.close(1000, 'viewer closed');
      }
    }
    this.failPendingControls('the view was closed');
  }

  scheduleReconnect(reason) {
    const delay = this.backoff.next();
    this.lastCloseReason = reason;
    this.reconnectAt = performance.now() + delay;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
    this.setState('reconnecting');
  }

  onFrame(blob) {
    this.counts.received++;
    this.lastReceiptAt = performance.now();
    this.renderer.push(blob);
  }

  drawn(width, height) {
    const now = performance.now();
    this.counts.frames++;
    this.drawnTimes.push(now);
    while (this.drawnTimes.length && now - this.drawnTimes[0] > FPS_WINDOW_MS) this.drawnTimes.shift();
    if (width !== this.width || height !== this.height) {
      // The stage takes the picture's own shape (CSS falls back to 4:3 before the first frame).
      this.element.style.setProperty('--aspect', String(width / height));
    }
    this.width = width;
    this.height = height;
    const data = this.element.dataset;
    data.width = width;
    data.height = height;
    data.frames = this.counts.frames;
    data.received = this.counts.received;
    data.skipped = this.counts.skipped;
    if (this.notice.dataset.kind === 'waiting') this.showNotice(null);
    if (this.counts.frames === 1) this.tick(); // show the figures at once, not at the next tick
  }

  onText(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return; // not ours to interpret; a future relay may send other text
    }
    switch (message.type) {
      case 'hello':
        this.controlPermitted = Boolean(message.control);
        this.events.onChange?.(this);
        break;
      case 'status':
        this.status = message;
        if (typeof message.connected === 'boolean') this.setCameraConnected(message.connected);
        break;
      case 'replay-frame':
        this.replayAt = message.t;
        this.element.dataset.replayAt = String(message.t);
        break;
      case 'control-reply': {
        const pending = this.pendingControls.get(message.id);
        if (pending) {
          this.pendingControls.delete(message.id);
          clearTimeout(pending.timer);
          pending.resolve(message);
        }
        break;
      }
      default:
        break;
    }
  }

  /** The camera list's entry for this camera (refreshed by the app every few seconds). */
  updateInfo(info) {
    this.info = info;
    if (typeof info.control === 'boolean' && info.control !== this.control) {
      this.control = info.control;
      this.events.onChange?.(this);
    }
    if (typeof info.connected === 'boolean') this.setCameraConnected(info.connected);
    if (this.state === 'offline' && this.notice.textContent !== this.offlineText()) this.setState('offline');
  }

  setCameraConnected(connected) {
    const changed = this.cameraConnected !== connected;
    this.cameraConnected = connected;
    if (this.replayFrom != null) {
      if (changed) this.events.onChange?.(this);
      return; // a replay does not follow the camera's live state
    }
    if (this.state === 'live' && !connected) this.setState('offline');
    else if (this.state === 'offline' && connected) this.setState('live');
    if (changed) this.events.onChange?.(this);
  }

  /**
   * Sends a control command over this view's WebSocket.
   * @returns {Promise<{id: number, ok: boolean, reply?: object, error?: string}>} the relay's control-reply
   */
  sendControl(command) {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new Error('not connected to the relay'));
    }
    if (ws.protocol !== 'camrelay.v1') {
      return Promise.reject(new Error('the relay did not accept the camrelay.v1 subprotocol'));
    }
    const id = ++lastControlId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingControls.delete(id);
        reject(new Error(`no reply within ${CONTROL_TIMEOUT_MS / 1000} s`));
      }, CONTROL_TIMEOUT_MS);
      this.pendingControls.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ type: 'control', id, command }));
    }).then((reply) => ({ ...reply, id }));
  }

  failPendingControls(reason) {
    for (const pending of this.pendingControls.values()) {
      clearTimeout(pending.timer);
      pending.reject(new Error(reason));
    }
    this.pendingControls.clear();
  }

  setState(state) {
    const changed = this.state !== state;
    this.state = state;
    this.element.dataset.state = state;
    this.stateBadge.dataset.state = state;
    this.stateBadge.textContent = this.stateText();
    if (state === 'offline') this.showNotice(this.offlineText(), 'offline');
    else if (state === 'auth') this.showNotice('This relay needs a token', 'auth');
    else if (state === 'live' && this.counts.frames === 0) this.showNotice('Waiting for the first frame…', 'waiting');
    else if (this.notice.dataset.kind !== 'waiting' || state === 'stopped') this.showNotice(null);
    if (changed) this.events.onChange?.(this);
  }

  /** "Camera offline", or what the relay says about a camera it is still pulling. */
  offlineText() {
    const state = this.info && typeof this.info.state === 'string' ? this.info.state : '';
    return state.startsWith('connecting') ? `Camera ${state}` : 'Camera offline';
  }

  stateText() {
    switch (this.state) {
      case 'reconnecting': {
        const seconds = Math.max(0, Math.ceil((this.reconnectAt - performance.now()) / 1000));
        return `reconnecting in ${seconds}s`;
      }
      case 'auth':
        return 'needs token';
      case 'replay':
        return this.replayAt ? `replay ${new Date(this.replayAt).toLocaleTimeString()}` : 'replay';
      case 'replay-ended':
        return 'replay ended';
      case 'stopped':
        return 'paused';
      default:
        return this.state;
    }
  }

  showNotice(text, kind) {
    this.notice.hidden = !text;
    this.notice.textContent = text || '';
    this.notice.dataset.kind = text ? kind : '';
  }

  /** Refreshes the caption's figures (twice a second, not per frame). */
  tick() {
    const now = performance.now();
    while (this.drawnTimes.length && now - this.drawnTimes[0] > FPS_WINDOW_MS) this.drawnTimes.shift();
    const fps = this.running ? this.measuredFps(now) : NaN;
    const age = this.lastReceiptAt ? now - this.lastReceiptAt : NaN;
    const relayAge = this.status && (this.status.lastFrameAgeMs ?? this.status.ageMs);
    const dropped = this.info && typeof this.info.framesDropped === 'number' ? this.info.framesDropped : null;
    const items = [
      [format.fps(fps), 'frames shown per second'],
      [format.resolution(this.width, this.height), 'size of the last frame'],
      [`age ${format.age(age)}`, 'time since the last frame arrived'],
    ];
    if (typeof relayAge === 'number') items.push([`relay ${format.age(relayAge)}`, 'frame age reported by the relay']);
    items.push([`skip ${this.counts.skipped}`, SKIP_TITLE]);
    if (dropped !== null) items.push([`drop ${dropped}`, DROP_TITLE]);
    this.statsLine.replaceChildren(...items.map(([text, title]) => format.el('span', { title, text })));
    this.statsLine.classList.toggle('stale', this.state === 'live' && age > STALE_AFTER_MS);
    this.element.dataset.skipped = this.counts.skipped;
    if (this.state === 'reconnecting' || this.state === 'replay') this.stateBadge.textContent = this.stateText();
    this.stateBadge.title = this.state === 'reconnecting' && this.lastCloseReason ? this.lastCloseReason : '';
  }

  measuredFps(now) {
    const times = this.drawnTimes;
    if (times.length < 2) return this.counts.frames > 1 ? 0 : NaN; // one frame says nothing about a rate
    return ((times.length - 1) * 1000) / Math.max(1, times[times.length - 1] - times[0]);
  }
}
