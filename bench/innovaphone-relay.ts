import { randomUUID } from 'node:crypto';
// Dial latency on the innovaphone path: adapter.dial() called → the simulated PBX receives UserCall.
// `npx tsx bench/innovaphone-relay.ts` prints p50/p99; `measureInnovaphoneDial` is for `npm run bench`.
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { createLogger, streamSink } from '../src/main/engine/log/logger';
import type { PbxCallEvent } from '../src/main/engine/pbx/adapter';
import { createInnovaphoneAdapter } from '../src/main/engine/pbx/innovaphone/adapter';
import { appLoginDigest } from '../src/main/engine/pbx/innovaphone/digest';
import { innovaphoneProfileSchema } from '../src/main/engine/pbx/innovaphone/profile';
import { InnovaphoneSimulator } from '../src/main/engine/pbx/innovaphone/simulator';
import { median, percentile, ratioLine } from './lib/stats';

export const APP = 'bench';
export const PASSWORD = 'bench-app-password';
export const OPERATOR = 'Bench Operator';

export interface InnovaphoneDialSamples {
  /** adapter.dial() → UserCall at the simulator, ms. */
  adapter: number[];
  /** Baseline: a bare logged-in RCC client's UserCall send → UserCall at the simulator, ms. */
  bare: number[];
}

export interface InnovaphoneDialOptions {
  iterations?: number;
  rounds?: number;
  warmup?: number;
}

/** The simulator both innovaphone benches dial through: one App, one user, calls that ring at once. */
export function benchInnovaphoneSimulator(): InnovaphoneSimulator {
  return new InnovaphoneSimulator({
    apps: [{ name: APP, password: PASSWORD }],
    users: [{ cn: OPERATOR, e164: '101' }],
    defaultOutgoing: 'ring',
    delays: { setupMs: 0, alertMs: 1, connectMs: 1, endMs: 0 },
  });
}

export async function measureInnovaphoneDial(
  options: InnovaphoneDialOptions = {},
): Promise<InnovaphoneDialSamples> {
  const { iterations = 300, rounds = 3, warmup = 50 } = options;
  const sim = benchInnovaphoneSimulator();
  const { url } = await sim.start();
  const sink = createWriteStream(os.devNull);
  const ended = new Set<string>();
  const adapter = createInnovaphoneAdapter(
    innovaphoneProfileSchema.parse({
      id: 'bench',
      name: 'Bench',
      type: 'innovaphone',
      url,
      app: APP,
      password: PASSWORD,
      user: OPERATOR,
    }),
    {
      // Production logging: info level, JSON lines (to /dev/null).
      log: createLogger({ level: 'info', sinks: [streamSink(sink)] }),
      newCallId: () => randomUUID().replaceAll('-', ''),
      events: {
        link: () => undefined,
        call: (event: PbxCallEvent) => {
          if (event.kind === 'ended') ended.add(event.callId);
        },
      },
    },
  );
  const bare = new BareRccClient(url);
  const samples: InnovaphoneDialSamples = { adapter: [], bare: [] };
  try {
    adapter.start();
    await waitUntil(() => adapter.link.status === 'online');
    await bare.open();
    let n = 0;
    const nextNumber = (): string => String(5_550_000 + n++);

    const viaAdapter = async (): Promise<number> => {
      const number = nextNumber();
      const arrived = userCallArrives(sim, number);
      const started = performance.now();
      const callId = randomUUID().replaceAll('-', '');
      const dialled = adapter.dial(callId, number, new AbortController().signal);
      const latency = (await arrived) - started;
      await dialled;
      await adapter.hangup(callId);
      await waitUntil(() => ended.has(callId));
      return latency;
    };
    const viaBare = async (): Promise<number> => {
      const number = nextNumber();
      const arrived = userCallArrives(sim, number);
      const started = performance.now();
      const placed = bare.dial(number);
      const latency = (await arrived) - started;
      await bare.clear(await placed);
      return latency;
    };

    for (let i = 0; i < warmup; i++) await viaAdapter();
    for (let i = 0; i < warmup; i++) await viaBare();
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < iterations; i++) samples.adapter.push(await viaAdapter());
      for (let i = 0; i < iterations; i++) samples.bare.push(await viaBare());
    }
  } finally {
    bare.close();
    await adapter.stop();
    await sim.stop();
    sink.end();
  }
  return samples;
}

function userCallArrives(sim: InnovaphoneSimulator, number: string): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: Record<string, unknown>): void => {
      if (message.mt === 'UserCall' && message.e164 === number) {
        sim.off('message', onMessage);
        resolve(performance.now());
      }
    };
    sim.on('message', onMessage);
  });
}

/** The least an RCC client must do: log in, monitor the user, send UserCall / UserClear. */
export class BareRccClient {
  private socket: WebSocket | null = null;
  private user = 0;
  private waiters: {
    match: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];
  private seq = 0;

  constructor(private readonly url: string) {}

  async open(): Promise<void> {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.match(message)) return true;
        waiter.resolve(message);
        return false;
      });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const { challenge } = await this.exchange({ mt: 'AppChallenge' }, (m) => m.mt === 'AppChallengeResult');
    const identity = { app: APP, domain: '', sip: '', guid: '', dn: '' };
    const digest = appLoginDigest(identity, challenge as string, PASSWORD);
    await this.exchange({ mt: 'AppLogin', ...identity, digest }, (m) => m.mt === 'AppLoginResult');
    await this.request({ mt: 'Initialize' });
    this.user = (await this.request({ mt: 'UserInitialize', cn: OPERATOR })).user as number;
  }

  /** Resolves with the call handle. */
  async dial(number: string): Promise<number> {
    return (await this.request({ mt: 'UserCall', user: this.user, e164: number })).call as number;
  }

  async clear(call: number): Promise<void> {
    const gone = this.wait((m) => m.mt === 'CallInfo' && m.call === call && m.msg === 'del');
    await this.request({ mt: 'UserClear', call, cause: 16 });
    await gone;
  }

  close(): void {
    this.socket?.terminate();
  }

  private request(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const src = `b${++this.seq}`;
    const mt = `${String(message.mt)}Result`;
    return this.exchange({ api: 'RCC', ...message, src }, (m) => m.mt === mt && m.src === src);
  }

  private exchange(
    message: Record<string, unknown>,
    match: (m: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>> {
    const reply = this.wait(match);
    this.socket!.send(JSON.stringify(message));
    return reply;
  }

  private wait(match: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}

async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 1));
}

async function main(): Promise<void> {
  const samples = await measureInnovaphoneDial();
  const fmt = (value: number): string => `${value.toFixed(3)} ms`;
  console.log(`innovaphone dial (dial() → UserCall at the simulator), ${samples.adapter.length} dials each:`);
  console.log(`  adapter  p50 ${fmt(median(samples.adapter))}  p99 ${fmt(percentile(samples.adapter, 99))}`);
  console.log(`  bare     p50 ${fmt(median(samples.bare))}  p99 ${fmt(percentile(samples.bare, 99))}`);
  console.log(
    ratioLine({
      name: '  p50 adapter / bare RCC client',
      unit: 'ms',
      subject: median(samples.adapter),
      baseline: median(samples.bare),
      target: null,
    }),
  );
  console.log(
    ratioLine({
      name: '  p99 adapter / bare RCC client',
      unit: 'ms',
      subject: percentile(samples.adapter, 99),
      baseline: percentile(samples.bare, 99),
      target: null,
    }),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
