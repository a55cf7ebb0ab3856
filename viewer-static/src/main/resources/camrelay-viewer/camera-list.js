/**
 * The camera list (from /api/cameras): one row per camera with its state (the relay's
 * `state`, e.g. "connecting: cannot connect: Connection refused" for a pulled camera),
 * resolution, fps, viewer count and (relays of a cluster) the node it is connected to, and a
 * line for its latest firmware update (`firmware`: downloading 40 %, confirmed, failed and why)
 * when it had one. Rows are updated in place so keyboard focus survives the periodic refresh.
 */
import * as format from './format.js';

export class CameraList {
  /**
   * @param {HTMLElement} list the <ul>
   * @param {(id: string) => void} onSelect
   */
  constructor(list, onSelect) {
    this.list = list;
    this.onSelect = onSelect;
    this.rows = new Map();
  }

  /** @param {object[]} cameras /api/cameras entries */
  update(cameras, selectedId) {
    const seen = new Set();
    // Name each camera's node only when the list spans several (relays of a cluster).
    const nodes = new Set(cameras.map((c) => c.node).filter((n) => typeof n === 'string'));
    const showNode = nodes.size > 1;
    let previous = null;
    for (const camera of cameras) {
      seen.add(camera.id);
      let row = this.rows.get(camera.id);
      if (!row) {
        row = this.createRow(camera.id);
        this.rows.set(camera.id, row);
      }
      // Keep the relay's order, but move a row only when needed: moving blurs a focused button.
      const expected = previous ? previous.nextElementSibling : this.list.firstElementChild;
      if (expected !== row.item) this.list.insertBefore(row.item, expected);
      previous = row.item;
      this.fill(row, camera, camera.id === selectedId, showNode);
    }
    for (const [id, row] of this.rows) {
      if (!seen.has(id)) {
        row.item.remove();
        this.rows.delete(id);
      }
    }
  }

  select(selectedId) {
    for (const [id, row] of this.rows) {
      if (id === selectedId) row.button.setAttribute('aria-current', 'true');
      else row.button.removeAttribute('aria-current');
    }
  }

  createRow(id) {
    const dot = format.el('span', { class: 'dot', 'aria-hidden': 'true' });
    const connected = format.el('span', { class: 'visually-hidden' });
    const meta = format.el('span', { class: 'camera-meta' });
    const firmware = format.el('span', { class: 'camera-firmware', hidden: true });
    const button = format.el(
      'button',
      { type: 'button', class: 'camera-row', 'data-camera': id, onclick: () => this.onSelect(id) },
      dot,
      format.el('span', { class: 'camera-name', text: id }),
      connected,
      meta,
      firmware,
    );
    const item = format.el('li', {}, button);
    return { item, button, dot, connected, meta, firmware };
  }

  fill(row, camera, selected, showNode) {
    const online = Boolean(camera.connected);
    // Older relays send no state: connected or offline is all there is.
    const state = typeof camera.state === 'string' ? camera.state : online ? 'connected' : 'offline';
    const shortState = state.split(':')[0];
    row.button.dataset.connected = online;
    row.connected.textContent = online ? ' (connected) ' : ` (${shortState}) `;
    const parts = [format.resolution(camera.width, camera.height), format.fps(camera.fps)];
    if (typeof camera.viewers === 'number') parts.push(format.plural(camera.viewers, 'viewer'));
    if (showNode && typeof camera.node === 'string') parts.push(`on ${camera.node}`);
    if (!online) parts.unshift(shortState);
    row.meta.textContent = parts.join(' · ');
    const via = camera.ingest ? ` via ${camera.ingest}` : '';
    const node = typeof camera.node === 'string' ? ` on node ${camera.node}` : '';
    row.button.title = `${camera.id}: ${state}${via}${node}`;
    const update = firmwareText(camera.firmware);
    row.firmware.hidden = !update;
    row.firmware.textContent = update;
    if (camera.firmware) row.firmware.dataset.state = camera.firmware.state;
    if (selected) row.button.setAttribute('aria-current', 'true');
    else row.button.removeAttribute('aria-current');
  }
}

/** One line for a camera's latest firmware update (/api/cameras `firmware`), '' for none. */
export function firmwareText(update) {
  if (!update || typeof update.state !== 'string') return '';
  const version = update.version ? ` ${update.version}` : '';
  const why = update.error ? `: ${update.error}` : '';
  switch (update.state) {
    case 'offered':
      return `Firmware${version}: offered, waiting for the camera`;
    case 'downloading': {
      const percent = update.size > 0 ? ` ${Math.floor((100 * update.received) / update.size)} %` : '';
      return `Firmware${version}: downloading${percent}`;
    }
    case 'rebooting':
      return `Firmware${version}: restarting into it`;
    case 'confirmed':
      return `Firmware${version} confirmed`;
    case 'rolled-back':
      return `Firmware update rolled back${version ? `, running${version}` : ''}${why}`;
    default:
      return `Firmware update ${update.state}${why}`;
  }
}
