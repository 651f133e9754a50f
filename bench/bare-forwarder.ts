// The baseline relay of the dial bench, in its own process: wss in, JSON.parse, the dial command out to a
// logged-in PBX client. Usage: node --import tsx bench/bare-forwarder.ts '{"kind","url","certFile","keyFile"}'
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { BareRccClient } from './innovaphone-relay';
import { BareBasixClient } from './relay-basix';
import { BareHarmonyClient } from './relay-harmony';
import { BareViptelClient } from './relay-viptel';

interface Spec {
  kind: 'viptel' | 'innovaphone' | 'basix' | 'harmony';
  url: string;
  certFile: string;
  keyFile: string;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;

async function pbxClient(): Promise<{ dial(number: string): void; hangup(): Promise<void> }> {
  if (spec.kind === 'viptel') return BareViptelClient.open(spec.url);
  if (spec.kind === 'basix') return BareBasixClient.open(spec.url);
  if (spec.kind === 'harmony') return BareHarmonyClient.open(spec.url);
  const client = new BareRccClient(spec.url);
  await client.open();
  let last: Promise<number> | null = null;
  return {
    dial: (number) => {
      last = client.dial(number);
    },
    hangup: async () => {
      if (last) await client.clear(await last);
    },
  };
}

const pbx = await pbxClient();
const server = createServer({ cert: readFileSync(spec.certFile), key: readFileSync(spec.keyFile) });
const wss = new WebSocketServer({ server });
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; payload?: { phoneNo?: string } };
    if (message.type === 'init-request') {
      socket.send(JSON.stringify({ type: 'init-response', payload: { success: true } }));
    } else if (message.type === 'dial-request') {
      pbx.dial(message.payload?.phoneNo ?? '');
    } else if (message.type === 'hangup-request') {
      void pbx.hangup().then(() => socket.send(JSON.stringify({ type: 'bench-call-ended' })));
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: 'listening', url: `wss://127.0.0.1:${port}/` }));
});
