// Cold-start baseline: the least a Patriot endpoint is — a wss server with the same certificate.
// Usage: node bench/bare-wss-server.mjs CERT KEY [PORT]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { WebSocketServer } from 'ws';

const [certFile, keyFile, port = '0'] = process.argv.slice(2);
const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) });
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
server.listen(Number(port), '127.0.0.1', () =>
  console.log(JSON.stringify({ msg: 'listening', port: server.address().port })),
);
process.on('SIGTERM', () => process.exit(0));
