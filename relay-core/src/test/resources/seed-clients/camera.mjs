// A camera written the way the seed relay's users write theirs: the `ws` package, the token in the subprotocol
// (ipcam_<token>), JPEGs sent as binary messages, commands from the monitor arriving as text.
import WebSocket from 'ws';
import { readFileSync } from 'node:fs';

const [url, token, jpegPath] = process.argv.slice(2);
const jpeg = readFileSync(jpegPath);
const ws = new WebSocket(url, 'ipcam_' + token);
ws.on('open', () => {
  console.log('open ' + ws.protocol);
  setInterval(() => ws.send(jpeg), 100);
});
ws.on('message', (data, isBinary) => {
  if (!isBinary) console.log('command ' + data.toString());
});
ws.on('error', (e) => { console.log('error ' + e.message); process.exit(1); });
ws.on('close', (code) => { console.log('closed ' + code); process.exit(0); });
