/**
 * Talking to the relay over HTTP, and building the URLs of its WebSocket and HTTP streams.
 *
 * The token (for relays started with a viewer token) lives in localStorage and goes out as
 * `Authorization: Bearer` on fetch, as the `bearer.<token>` WebSocket subprotocol (browsers
 * cannot set headers on WebSockets) and as `?token=` on links given to other programs.
 */

const TOKEN_KEY = 'camrelay.token';
const DEFAULT_WS_PORT = 3009;
/** Characters a WebSocket subprotocol may contain (an RFC 7230 token). */
const SUBPROTOCOL_SAFE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The relay answered 401: a (different) token is needed. */
export class AuthError extends Error {
  constructor(message = 'this relay needs a viewer token') {
    super(message);
    this.name = 'AuthError';
  }
}

/** Remembers the token; survives browsers where localStorage is unavailable (then it lasts the page). */
class TokenStore {
  constructor() {
    this.memory = null;
  }

  get() {
    try {
      return localStorage.getItem(TOKEN_KEY) || this.memory;
    } catch {
      return this.memory;
    }
  }

  set(token) {
    this.memory = token || null;
    try {
      if (token) localStorage.setItem(TOKEN_KEY, token);
      else localStorage.removeItem(TOKEN_KEY);
    } catch {
      // private mode or storage disabled: keep it in memory only
    }
  }
}

export class RelayApi {
  /** @param {Location|URL} origin the page's location; the relay serves the page, so it is the relay. */
  constructor(origin = window.location) {
    this.origin = origin;
    this.tokens = new TokenStore();
    this.info = null;
  }

  get token() {
    return this.tokens.get();
  }

  set token(value) {
    this.tokens.set(value ? value.trim() : null);
  }

  /** GET a JSON document; throws AuthError on 401, Error with the server's reason otherwise. */
  async getJson(path) {
    const headers = { Accept: 'application/json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const response = await fetch(path, { headers, cache: 'no-store' });
    if (response.status === 401) throw new AuthError();
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
    return response.json();
  }

  /** Loads /api/info (ports, TLS, whether auth is on). A relay without it gets the defaults. */
  async loadInfo() {
    try {
      this.info = await this.getJson('api/info');
    } catch (e) {
      if (e instanceof AuthError) throw e;
      this.info = { wsPort: DEFAULT_WS_PORT, wsTls: this.origin.protocol === 'https:', missing: true };
    }
    return this.info;
  }

  /** The camera list, as /api/cameras entries. */
  async cameras() {
    const body = await this.getJson('api/cameras');
    return Array.isArray(body.cameras) ? body.cameras : [];
  }

  /** The latest frame as a Blob; throws with the relay's reason (e.g. no frame yet). */
  async snapshot(cameraId) {
    const headers = {};
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const response = await fetch(this.camPath(cameraId, 'snapshot.jpg'), { headers, cache: 'no-store' });
    if (response.status === 401) throw new AuthError();
    if (!response.ok) throw new Error(`snapshot: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
    return response.blob();
  }

  camPath(cameraId, file) {
    return `cam/${encodeURIComponent(cameraId)}/${file}`;
  }

  /** Absolute URL with ?token= for programs that cannot send headers (VLC, Home Assistant). */
  linkUrl(cameraId, file) {
    const url = new URL(this.camPath(cameraId, file), this.origin.href);
    if (this.token) url.searchParams.set('token', this.token);
    return url.href;
  }

  mjpegUrl(cameraId) {
    return this.linkUrl(cameraId, 'stream.mjpeg');
  }

  snapshotUrl(cameraId) {
    return this.linkUrl(cameraId, 'snapshot.jpg');
  }

  /**
   * rtsp://<this host>:<rtspPort><the camera's RTSP path>, with ?token= for NVRs that cannot send headers; null when
   * the relay serves no RTSP (rtspPort -1, or a relay too old to say). The relay cannot know which host name reaches
   * it, so the page uses its own, as for the WebSocket URLs.
   */
  rtspUrl(camera) {
    const port = this.info && this.info.rtspPort;
    if (typeof port !== 'number' || port < 0 || !camera || typeof camera.rtsp !== 'string') return null;
    const token = this.token;
    return `rtsp://${this.origin.hostname}:${port}${camera.rtsp}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  }

  /** False when the relay runs without its WebSocket port (wsPort -1): then views fall back to MJPEG. */
  hasWebSocket() {
    const port = this.info && this.info.wsPort;
    return typeof port !== 'number' || port > 0;
  }

  /** ws(s)://<this host>:<wsPort>/cam/<id>; the token rides in the query only if it cannot be a subprotocol. */
  wsUrl(cameraId) {
    const info = this.info || {};
    const scheme = info.wsTls ? 'wss' : 'ws';
    const port = info.wsPort || DEFAULT_WS_PORT;
    let url = `${scheme}://${this.origin.hostname}:${port}/cam/${encodeURIComponent(cameraId)}`;
    const token = this.token;
    if (token && !SUBPROTOCOL_SAFE.test(token)) url += `?token=${encodeURIComponent(token)}`;
    return url;
  }

  /** Subprotocols to offer: camrelay.v1 (JSON status and control) and bearer.<token>. */
  wsProtocols() {
    const protocols = ['camrelay.v1'];
    const token = this.token;
    if (token && SUBPROTOCOL_SAFE.test(token)) protocols.push(`bearer.${token}`);
    return protocols;
  }
}
