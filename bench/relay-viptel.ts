import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import WebSocket, { WebSocketServer } from 'ws';
import { loginHash } from '../src/main/engine/pbx/viptel/login-hash';
import { findNonce } from '../src/main/engine/pbx/viptel/protocol';
import { ViptelSimulator } from '../src/main/engine/pbx/viptel/simulator';
import { BENCH_API_KEY, startBenchBridge } from './lib/bench-bridge';
import { connectPatriot, isStatus, type BenchPatriot } from './lib/patriot-client';

export interface RelaySamples {
  bridge: number[];
  bare: number[];
}

/**
 * Dial relay latency: Patriot's dial-request sent → the PBX (VIPTel simulator) receives call.create.
 * Through the bridge, and through a bare forwarder (wss in, parse, call.create out) in the same run.
 */
export async function measureViptelRelay(iterations = 300, rounds = 3): Promise<RelaySamples> {
  const sim = new ViptelSimulator({ users: [{ username: 'bench', password: 'bench-pass' }] });
  const { url: pbxUrl } = await sim.start();
  const bridge = await startBenchBridge({
    id: 'viptel',
    name: 'VIPTel',
    type: 'viptel',
    url: pbxUrl,
    username: 'bench',
    password: 'bench-pass',
    extension: '12',
  });
  const bare = await startBareForwarder(pbxUrl, bridge.certificate);
  const samples: RelaySamples = { bridge: [], bare: [] };
  try {
    await waitUntil(() => bridge.bridge.snapshot().pbx.link.status === 'online');
    const viaBridge = await connectPatriot(bridge.url, BENCH_API_KEY, bridge.ca);
    await viaBridge.waitFor(isStatus(false));
    const viaBare = await connectPatriot(bare.url, BENCH_API_KEY, bridge.ca);
    let n = 0;
    const nextNumber = () => String(5_550_000 + n++);
    const warmup = Math.min(50, iterations);
    for (let i = 0; i < warmup; i++) await dialThroughBridge(sim, viaBridge, nextNumber());
    for (let i = 0; i < warmup; i++) await dialThroughBare(sim, viaBare, nextNumber());
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < iterations; i++)
        samples.bridge.push(await dialThroughBridge(sim, viaBridge, nextNumber()));
      for (let i = 0; i < iterations; i++)
        samples.bare.push(await dialThroughBare(sim, viaBare, nextNumber()));
    }
    viaBridge.close();
    viaBare.close();
  } finally {
    await bare.stop();
    await bridge.stop();
    await sim.stop();
  }
  return samples;
}

function callCreateArrives(sim: ViptelSimulator, number: string): Promise<number> {
  return new Promise((resolve) => {
    const onAction = (frame: Record<string, unknown>) => {
      if (frame.action === 'call.create' && String(frame.to) === number) {
        sim.off('action', onAction);
        resolve(performance.now());
      }
    };
    sim.on('action', onAction);
  });
}

async function dialThroughBridge(
  sim: ViptelSimulator,
  patriot: BenchPatriot,
  number: string,
): Promise<number> {
  const arrived = callCreateArrives(sim, number);
  const active = patriot.waitFor(isStatus(true));
  const sent = performance.now();
  patriot.send({ type: 'dial-request', payload: { phoneNo: number, rawPhoneNo: number } });
  const latency = (await arrived) - sent;
  await active;
  const idle = patriot.waitFor(isStatus(false));
  patriot.send({ type: 'hangup-request' });
  await idle;
  return latency;
}

async function dialThroughBare(sim: ViptelSimulator, patriot: BenchPatriot, number: string): Promise<number> {
  const arrived = callCreateArrives(sim, number);
  const sent = performance.now();
  patriot.send({ type: 'dial-request', payload: { phoneNo: number, rawPhoneNo: number } });
  const latency = (await arrived) - sent;
  const ended = patriot.waitFor((m) => m.type === 'bench-call-ended');
  patriot.send({ type: 'hangup-request' });
  await ended;
  return latency;
}

/** The least a relay must do: accept Patriot over wss, parse its frame, send call.create to a logged-in PBX. */
async function startBareForwarder(pbxUrl: string, certificate: { cert: string; key: string }) {
  const pbx = new WebSocket(pbxUrl);
  const loggedIn = new Promise<void>((resolve) => {
    pbx.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      const nonce = findNonce(frame);
      if (frame.code === 100 && nonce) {
        pbx.send(
          JSON.stringify({
            action: 'user.login',
            username: 'bench',
            password: loginHash('bench', 'bench-pass', nonce),
          }),
        );
      } else if (frame.code === 202) resolve();
    });
  });
  await loggedIn;
  const https = createHttpsServer(certificate);
  const wss = new WebSocketServer({ server: https });
  let patriotSocket: WebSocket | null = null;
  let uniqueId: string | null = null;
  pbx.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as Record<string, unknown>;
    if (frame.event === 'call.create_response') uniqueId = String(frame.unique_id);
    if (frame.event === 'call.end') patriotSocket?.send(JSON.stringify({ type: 'bench-call-ended' }));
  });
  wss.on('connection', (socket) => {
    patriotSocket = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; payload?: { phoneNo?: string } };
      if (message.type === 'init-request')
        socket.send(JSON.stringify({ type: 'init-response', payload: { success: true } }));
      else if (message.type === 'dial-request') {
        pbx.send(
          JSON.stringify({
            action: 'call.create',
            from: 12,
            to: message.payload?.phoneNo,
            call_random_id: `b${Date.now()}`,
          }),
        );
      } else if (message.type === 'hangup-request' && uniqueId) {
        pbx.send(JSON.stringify({ action: 'call.hangup', unique_id: uniqueId }));
      }
    });
  });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const port = (https.address() as AddressInfo).port;
  return {
    url: `wss://127.0.0.1:${port}/`,
    async stop() {
      for (const client of wss.clients) client.terminate();
      pbx.terminate();
      await new Promise<void>((resolve) => https.close(() => resolve()));
    },
  };
}

async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}
