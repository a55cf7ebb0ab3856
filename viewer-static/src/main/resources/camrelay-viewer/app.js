/**
 * The page: loads /api/info, keeps the camera list and the grid of live views in step with
 * /api/cameras, focuses one camera (#cam=<id>) with its tools and controls, and asks for a
 * token when the relay wants one.
 *
 * Views scrolled out of sight (or hidden by focusing another camera) are paused, so a phone
 * only downloads what it shows.
 */
import { AuthError, RelayApi } from './api.js';
import { CameraList } from './camera-list.js';
import { ControlPanel } from './control-panel.js';
import { LiveView } from './live-view.js';
import { Timeline } from './timeline.js';
import * as format from './format.js';

const REFRESH_MS = 2000;

const api = new RelayApi();
const $ = (id) => document.getElementById(id);
const grid = $('grid');
const views = new Map();
/** Each view's timeline of recordings, by camera id. */
const timelines = new Map();
/** The latest /api/cameras entry of each camera. */
const entries = new Map();
const cameraList = new CameraList($('camera-list'), (id) => focusCamera(id));
const controlPanel = new ControlPanel($('control-panel'));
let focusedId = null;
let tokenDismissed = false;
let authCheck = null;

const visibility = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    const view = views.get(entry.target.dataset.camera);
    if (!view) continue;
    const timeline = timelines.get(view.cameraId);
    if (entry.isIntersecting) {
      view.start();
      timeline?.start();
    } else {
      view.stop();
      timeline?.stop();
    }
  }
});

function setRelayStatus(text, problem = false) {
  const status = $('relay-status');
  status.textContent = text;
  status.classList.toggle('problem', problem);
}

async function refreshLoop() {
  try {
    // While the token dialog is open, asking again would only collect more 401s.
    if (!$('token-dialog').open) await refreshCameras();
  } finally {
    setTimeout(refreshLoop, REFRESH_MS);
  }
}

async function refreshCameras() {
  let cameras;
  try {
    if (!api.info) await api.loadInfo();
    cameras = await api.cameras();
  } catch (e) {
    if (e instanceof AuthError) {
      setRelayStatus('this relay needs a token', true);
      for (const view of views.values()) view.needToken();
      if (!tokenDismissed) askForToken();
    } else {
      setRelayStatus(`relay unreachable (${e.message}), retrying…`, true);
    }
    return;
  }
  const version = api.info.version ? `relay ${api.info.version} · ` : '';
  setRelayStatus(`${version}${format.plural(cameras.length, 'camera')}`);
  syncViews(cameras);
}

function syncViews(cameras) {
  cameraList.update(cameras, focusedId);
  entries.clear();
  for (const camera of cameras) entries.set(camera.id, camera);
  const ids = new Set(cameras.map((c) => c.id));
  for (const camera of cameras) {
    let view = views.get(camera.id);
    if (!view) {
      view = new LiveView(api, camera.id, {
        onFocus: (v) => focusCamera(v.cameraId),
        onHandshakeFailed: () => checkAuth(),
        onChange: (v) => {
          if (v.cameraId === focusedId) controlPanel.refresh();
        },
      });
      views.set(camera.id, view);
      const timeline = new Timeline(api, view);
      timelines.set(camera.id, timeline);
      view.element.append(timeline.element);
      grid.append(view.element);
      visibility.observe(view.element);
    }
    view.updateInfo(camera);
  }
  for (const [id, view] of views) {
    if (!ids.has(id)) {
      visibility.unobserve(view.element);
      timelines.get(id)?.stop();
      timelines.delete(id);
      view.destroy();
      views.delete(id);
    }
  }
  $('empty').hidden = cameras.length > 0;
  showCameraPort();
  grid.dataset.count = views.size;
  applyFocus();
}

/** The empty state names the relay's real camera port (from /api/info), or leaves TCP out when it is off. */
function showCameraPort() {
  const port = api.info && api.info.tcpPort;
  if (typeof port !== 'number') return; // an older relay: the default stands
  $('empty-tcp').hidden = port < 0;
  $('camera-port').textContent = String(port);
}

/** A WebSocket handshake failed: if it was the token, stop the views from hammering the relay. */
function checkAuth() {
  if (authCheck) return;
  authCheck = api
    .cameras()
    .catch((e) => {
      if (e instanceof AuthError) {
        for (const view of views.values()) view.needToken();
        if (!tokenDismissed) askForToken();
      }
    })
    .finally(() => {
      authCheck = null;
    });
}

function askForToken(reason) {
  const dialog = $('token-dialog');
  if (dialog.open) return;
  $('token-why').textContent =
    reason || 'This relay asks for a viewer token. It is kept in this browser only.';
  $('token-input').value = api.token || '';
  dialog.showModal();
}

function onTokenDialogClose() {
  const dialog = $('token-dialog');
  if (dialog.returnValue === 'save') {
    api.token = $('token-input').value;
  } else if (dialog.returnValue === 'forget') {
    api.token = null;
  } else {
    tokenDismissed = true;
    return;
  }
  tokenDismissed = false;
  api.info = null;
  refreshCameras().then(() => {
    if (!api.info) return;
    for (const view of views.values()) {
      if (view.state === 'auth') view.start();
      else view.reconnectNow();
    }
  });
}

function focusCamera(id) {
  const target = id ? `#cam=${encodeURIComponent(id)}` : '#';
  if (location.hash !== target) location.hash = target;
  else applyFocus();
}

function focusFromHash() {
  const match = /^#cam=(.+)$/.exec(location.hash);
  focusedId = match ? decodeURIComponent(match[1]) : null;
  applyFocus();
}

function applyFocus() {
  const view = focusedId ? views.get(focusedId) : null;
  document.body.classList.toggle('focused', Boolean(view));
  for (const [id, v] of views) {
    v.element.hidden = Boolean(view) && id !== focusedId;
    v.element.classList.toggle('is-focused', v === view);
  }
  cameraList.select(view ? focusedId : null);
  $('focus').hidden = !view;
  if (view) {
    $('focus-name').textContent = focusedId;
    const url = api.mjpegUrl(focusedId);
    $('mjpeg-link').href = url;
    $('mjpeg-url').value = url;
    showRtsp(entries.get(focusedId));
    document.title = `${focusedId} · camrelay`;
  } else {
    document.title = 'camrelay';
  }
  controlPanel.attach(view || null);
}

/** The focused camera's RTSP URL when the relay serves RTSP, and why its frames are refused there, if they are. */
function showRtsp(camera) {
  const url = api.rtspUrl(camera);
  $('rtsp-row').hidden = !url;
  if (!url) return;
  const input = $('rtsp-url');
  if (input.value !== url) input.value = url; // keep a selection across the periodic refresh
  const refused = $('rtsp-refused');
  refused.hidden = !camera.rtspRefused;
  refused.textContent = camera.rtspRefused ? `Not sent over RTSP: ${camera.rtspRefused}` : '';
}

function toolMessage(text, problem = false) {
  const message = $('tool-message');
  message.textContent = text;
  message.classList.toggle('problem', problem);
}

async function downloadSnapshot() {
  const id = focusedId;
  if (!id) return;
  try {
    const blob = await api.snapshot(id);
    const url = URL.createObjectURL(blob);
    const stamp = new Date().toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
    const link = format.el('a', { href: url, download: `${id}-${stamp}.jpg` });
    document.body.append(link);
    link.click();
    link.remove();
    // Revoking at once can cancel the download in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    toolMessage(`Snapshot saved (${Math.round(blob.size / 1024)} KiB).`);
  } catch (e) {
    if (e instanceof AuthError) askForToken();
    toolMessage(`No snapshot: ${e.message}`, true);
  }
}

function toggleFullscreen() {
  const view = views.get(focusedId);
  if (!view) return;
  if (document.fullscreenElement) document.exitFullscreen();
  else view.element.requestFullscreen().catch((e) => toolMessage(`Fullscreen refused: ${e.message}`, true));
}

async function copyUrl(inputId, what) {
  const input = $(inputId);
  try {
    await navigator.clipboard.writeText(input.value);
    toolMessage(`${what} URL copied.`);
  } catch {
    // Clipboard needs https or localhost; selecting lets the user copy by hand.
    input.select();
    toolMessage('Selected: press Ctrl+C (or long-press → Copy) to copy it.');
  }
}

function wireUp() {
  $('token-button').addEventListener('click', () => askForToken('Enter the relay\'s viewer token, or forget the stored one.'));
  $('token-dialog').addEventListener('close', onTokenDialogClose);
  $('back-button').addEventListener('click', () => focusCamera(null));
  $('snapshot-button').addEventListener('click', downloadSnapshot);
  $('copy-button').addEventListener('click', () => copyUrl('mjpeg-url', 'MJPEG'));
  $('rtsp-copy-button').addEventListener('click', () => copyUrl('rtsp-url', 'RTSP'));
  const fullscreen = $('fullscreen-button');
  if (document.fullscreenEnabled) fullscreen.addEventListener('click', toggleFullscreen);
  else fullscreen.hidden = true;
  window.addEventListener('hashchange', focusFromHash);
  window.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && focusedId && !document.fullscreenElement && !$('token-dialog').open) {
      focusCamera(null);
    }
  });
  window.addEventListener('online', () => {
    for (const view of views.values()) view.reconnectNow();
  });
}

/** A link like http://relay:3010/?token=… (shared with a phone) stores the token and hides it from the address bar. */
function takeTokenFromAddress() {
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  if (!token) return;
  api.token = token;
  params.delete('token');
  const query = params.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
}

takeTokenFromAddress();
wireUp();
focusFromHash();
refreshLoop();
