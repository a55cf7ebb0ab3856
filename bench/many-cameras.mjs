// Drives N cameras at once over WebSocket ingest (ws://HOST/ingest/ID), each sending the JPEGs of a folder in a
// loop at FPS, optionally with one WebSocket viewer per camera; for measuring what many cameras cost the relay.
//
//   node many-cameras.mjs --ws ws://127.0.0.1:3009 --frames DIR --cameras 200 --fps 5 --seconds 20 [--viewers 1]
//
// Run it from a folder where the `ws` package is installed (bench/compare.sh's peer folder has it).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc, []));
const base = args.ws ?? 'ws://127.0.0.1:3009';
const cameras = Number(args.cameras ?? 200);
const fps = Number(args.fps ?? 5);
const seconds = Number(args.seconds ?? 20);
const viewersPerCamera = Number(args.viewers ?? 0);
const dir = args.frames;
const frames = readdirSync(dir).filter(f => f.endsWith('.jpg')).sort().map(f => readFileSync(join(dir, f)));

let sent = 0, received = 0, failed = 0;
const sockets = [];
const open = (url) => new Promise((resolve) => {
  const ws = new WebSocket(url);
  ws.on('open', () => resolve(ws));
  ws.on('error', () => { failed++; resolve(null); });
});
for (let c = 0; c < cameras; c++) {
  const id = `cam-${c}`;
  const cam = await open(`${base}/ingest/${id}`);
  if (!cam) continue;
  sockets.push(cam);
  for (let v = 0; v < viewersPerCamera; v++) {
    const viewer = await open(`${base}/cam/${id}`);
    if (!viewer) continue;
    viewer.on('message', (data, binary) => { if (binary) received++; });
    sockets.push(viewer);
  }
  let n = c; // each camera starts at another frame, so they do not all send the same bytes
  const timer = setInterval(() => {
    if (cam.readyState === WebSocket.OPEN && cam.bufferedAmount < 1 << 20) {
      cam.send(frames[n++ % frames.length]);
      sent++;
    }
  }, 1000 / fps);
  setTimeout(() => clearInterval(timer), seconds * 1000);
}
setTimeout(() => {
  console.log(JSON.stringify({ cameras, fps, seconds, viewers_per_camera: viewersPerCamera, sent, received, failed }));
  for (const s of sockets) s.terminate();
  process.exit(0);
}, seconds * 1000 + 500);
