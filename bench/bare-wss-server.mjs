// Cold-start baseline: the least a Patriot endpoint is — a wss server with the same certificate.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { WebSocketServer } from 'ws';

const [certFile, keyFile] = process.argv.slice(2);
const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) });
const wss = new WebSocketServer({ server });
wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
server.listen(0, '127.0.0.1', () =>
  console.log(JSON.stringify({ msg: 'listening', port: server.address().port })),
);
process.on('SIGTERM', () => process.exit(0));
