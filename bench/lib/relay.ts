import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { BENCH_API_KEY, startBenchBridge } from './bench-bridge';
import { connectPatriot, isStatus, type BenchPatriot } from './patriot-client';

/** One PBX as the relay bench needs it: a simulator, a bridge profile for it, and a bare client. */
export interface RelayPbx {
  /** The bridge profile that points at the simulator. */
  profile: Record<string, unknown>;
  /** Resolves with performance.now() when the simulator receives the dial command for `number`. */
  dialArrives(number: string): Promise<number>;
  /** The least a PBX client must do: logged in, dial, hang up (resolves once the call is gone). */
  bare: { dial(number: string): void; hangup(): Promise<void> };
  stop(): Promise<void>;
}

export interface RelaySamples {
  bridge: number[];
  bare: number[];
}

/**
 * Dial relay latency: Patriot's dial-request sent → the PBX simulator receives the dial command.
 * Through the bridge, and through a bare forwarder (wss in, parse, command out) in the same run.
 */
export async function measureRelay(pbx: RelayPbx, iterations = 300, rounds = 3): Promise<RelaySamples> {
  const bridge = await startBenchBridge(pbx.profile);
  const forwarder = await startBareForwarder(pbx, bridge.certificate);
  const samples: RelaySamples = { bridge: [], bare: [] };
  try {
    await waitUntil(() => bridge.bridge.snapshot().pbx.link.status === 'online');
    const viaBridge = await connectPatriot(bridge.url, BENCH_API_KEY, bridge.ca);
    await viaBridge.waitFor(isStatus(false));
    const viaBare = await connectPatriot(forwarder.url, BENCH_API_KEY, bridge.ca);
    let n = 0;
    const nextNumber = () => String(5_550_000 + n++);
    const warmup = Math.min(50, iterations);
    for (let i = 0; i < warmup; i++) await dialThroughBridge(pbx, viaBridge, nextNumber());
    for (let i = 0; i < warmup; i++) await dialThroughBare(pbx, viaBare, nextNumber());
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < iterations; i++)
        samples.bridge.push(await dialThroughBridge(pbx, viaBridge, nextNumber()));
      for (let i = 0; i < iterations; i++)
        samples.bare.push(await dialThroughBare(pbx, viaBare, nextNumber()));
    }
    viaBridge.close();
    viaBare.close();
  } finally {
    await forwarder.stop();
    await bridge.stop();
    await pbx.stop();
  }
  return samples;
}

async function dialThroughBridge(pbx: RelayPbx, patriot: BenchPatriot, number: string): Promise<number> {
  const arrived = pbx.dialArrives(number);
  const active = patriot.waitFor(isStatus(true));
  const sent = performance.now();
  patriot.send({ type: 'dial-request', payload: { phoneNo: number, rawPhoneNo: number } });
  const latency = (await arrived) - sent;
  await active;
  const idle = patriot.waitFor(isStatus(false));
  patriot.send({ type: 'hangup-request' });
  await idle;
  await settle();
  return latency;
}

async function dialThroughBare(pbx: RelayPbx, patriot: BenchPatriot, number: string): Promise<number> {
  const arrived = pbx.dialArrives(number);
  const sent = performance.now();
  patriot.send({ type: 'dial-request', payload: { phoneNo: number, rawPhoneNo: number } });
  const latency = (await arrived) - sent;
  const ended = patriot.waitFor((m) => m.type === 'bench-call-ended');
  patriot.send({ type: 'hangup-request' });
  await ended;
  await settle();
  return latency;
}

/** The least a relay must do: accept Patriot over wss, parse its frame, hand the number to a PBX client. */
async function startBareForwarder(pbx: RelayPbx, certificate: { cert: string; key: string }) {
  const https = createHttpsServer(certificate);
  const wss = new WebSocketServer({ server: https });
  wss.on('connection', (socket: WebSocket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; payload?: { phoneNo?: string } };
      if (message.type === 'init-request') {
        socket.send(JSON.stringify({ type: 'init-response', payload: { success: true } }));
      } else if (message.type === 'dial-request') {
        pbx.bare.dial(message.payload?.phoneNo ?? '');
      } else if (message.type === 'hangup-request') {
        void pbx.bare.hangup().then(() => socket.send(JSON.stringify({ type: 'bench-call-ended' })));
      }
    });
  });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const port = (https.address() as AddressInfo).port;
  return {
    url: `wss://127.0.0.1:${port}/`,
    async stop() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => https.close(() => resolve()));
    },
  };
}

/** Operators dial one call at a time: let the previous call's aftermath (call log, events) finish first. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

export async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}
