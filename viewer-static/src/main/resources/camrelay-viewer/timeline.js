/**
 * A camera's recorded past under its live view: a bar of the recorded time ranges
 * (GET cam/<id>/recordings, refreshed every 15 s while the view runs), hidden when the
 * relay keeps no recordings. Clicking the bar replays from that moment (the view's
 * WebSocket reconnects with ?from=); "Live" goes back; "Download" exports the clicked
 * range from that moment, at most an hour, as one AVI (export.avi with ?token=).
 *
 * The element carries data-ranges (count) and, while replaying, data-replay-from (ms).
 */
import * as format from './format.js';

const REFRESH_MS = 15000;
const MAX_EXPORT_MS = 3600 * 1000;

export class Timeline {
  /**
   * @param {import('./api.js').RelayApi} api
   * @param {import('./live-view.js').LiveView} view
   */
  constructor(api, view) {
    this.api = api;
    this.view = view;
    this.ranges = [];
    this.timer = 0;
    this.bar = format.el('div', {
      class: 'timeline-bar',
      role: 'slider',
      tabindex: '0',
      'aria-label': `Recorded time of camera ${view.cameraId}: click to replay from there`,
      onclick: (event) => this.clicked(event),
    });
    this.marker = format.el('div', { class: 'timeline-marker', hidden: true });
    this.bar.append(this.marker);
    this.span = format.el('span', { class: 'timeline-span' });
    this.liveButton = format.el('button', {
      type: 'button',
      class: 'button-small timeline-live',
      hidden: true,
      text: 'Live',
      onclick: () => this.live(),
    });
    this.download = format.el('a', { class: 'button button-small button-quiet timeline-download', hidden: true, download: '' });
    this.element = format.el(
      'div',
      { class: 'timeline', hidden: true, 'data-ranges': '0' },
      this.bar,
      format.el('div', { class: 'timeline-tools' }, this.span, this.liveButton, this.download),
    );
  }

  start() {
    if (this.timer) return;
    this.refresh();
    this.timer = setInterval(() => this.refresh(), REFRESH_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = 0;
  }

  async refresh() {
    let recordings;
    try {
      recordings = await this.api.getJson(this.api.camPath(this.view.cameraId, 'recordings'));
    } catch {
      this.element.hidden = true; // no recordings on this relay (404), or not reachable now
      return;
    }
    this.ranges = Array.isArray(recordings.ranges) ? recordings.ranges : [];
    this.element.hidden = this.ranges.length === 0;
    this.element.dataset.ranges = String(this.ranges.length);
    this.draw();
  }

  /** The bar spans the first recorded moment to now. */
  bounds() {
    const start = this.ranges.length ? this.ranges[0].startMs : Date.now();
    const end = Math.max(Date.now(), ...this.ranges.map((r) => r.endMs));
    return { start, end: Math.max(end, start + 1) };
  }

  draw() {
    const { start, end } = this.bounds();
    const width = end - start;
    for (const old of this.bar.querySelectorAll('.timeline-range')) old.remove();
    for (const r of this.ranges) {
      const left = ((r.startMs - start) / width) * 100;
      const size = Math.max(0.5, ((r.endMs - r.startMs) / width) * 100);
      this.bar.append(format.el('div', {
        class: 'timeline-range',
        style: `left:${left}%;width:${size}%`,
        title: `${time(r.startMs)} – ${time(r.endMs)}`,
      }));
    }
    this.span.textContent = `${time(start)} – ${time(end)}`;
    this.drawMarker();
  }

  drawMarker() {
    const from = this.view.replayFrom;
    this.marker.hidden = from == null;
    if (from == null) return;
    const { start, end } = this.bounds();
    this.marker.style.left = `${((from - start) / (end - start)) * 100}%`;
  }

  clicked(event) {
    const box = this.bar.getBoundingClientRect();
    const { start, end } = this.bounds();
    let at = start + ((event.clientX - box.left) / box.width) * (end - start);
    // A click beside a range (ranges can be thin) starts at the nearest recorded moment.
    const range = this.nearestRange(at);
    if (!range) return;
    at = Math.min(Math.max(at, range.startMs), range.endMs);
    this.replay(Math.round(at), range);
  }

  nearestRange(at) {
    let best = null;
    let bestDistance = Infinity;
    for (const r of this.ranges) {
      const distance = at < r.startMs ? r.startMs - at : at > r.endMs ? at - r.endMs : 0;
      if (distance < bestDistance) {
        best = r;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** Replays from `fromMs`; the download link exports from there to the range's end (at most an hour). */
  replay(fromMs, range) {
    this.view.replay(fromMs);
    this.element.dataset.replayFrom = String(fromMs);
    this.liveButton.hidden = false;
    const to = Math.min(range ? range.endMs : fromMs + MAX_EXPORT_MS, fromMs + MAX_EXPORT_MS);
    const url = new URL(this.api.linkUrl(this.view.cameraId, 'export.avi'));
    url.searchParams.set('from', String(fromMs));
    url.searchParams.set('to', String(Math.max(to, fromMs)));
    this.download.href = url.href;
    this.download.textContent = `Download ${time(fromMs)}–${time(to)} (AVI)`;
    this.download.hidden = false;
    this.drawMarker();
  }

  live() {
    this.view.goLive();
    delete this.element.dataset.replayFrom;
    this.liveButton.hidden = true;
    this.download.hidden = true;
    this.drawMarker();
  }
}

function time(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
