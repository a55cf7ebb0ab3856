// A monitor written the way the seed relay's users write theirs: the token in the subprotocol (mon_<token>), the
// camera's JPEGs arriving as binary messages, commands to the camera sent as text.
import WebSocket from 'ws';
import { createHash } from 'node:crypto';

const [url, token, command] = process.argv.slice(2);
const ws = new WebSocket(url, 'mon_' + token);
let commanded = false;
ws.on('open', () => console.log('open ' + ws.protocol));
ws.on('message', (data, isBinary) => {
  if (!isBinary) return;
  console.log('frame ' + data.length + ' ' + createHash('sha256').update(data).digest('hex'));
  if (!commanded) {
    ws.send(command);
    commanded = true;
  }
});
ws.on('error', (e) => { console.log('error ' + e.message); process.exit(1); });
ws.on('close', (code) => { console.log('closed ' + code); process.exit(0); });
