// npx tsx bench/basix-firehose.ts — Basix firehose: 50,000 ws_cti channel events of other users, then one
// for the operator. Subject: the real BasixAdapter, stream written → its `ringing` event. Baseline: a bare
// ws client on the same simulator that only decodes every frame (decodeTerm), stream written → last frame
// decoded. Both in this process, one at a time; the simulator writes pre-framed bytes in one write.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { PbxCallEvent } from '../src/main/engine/pbx/adapter';
import { silentLogger } from '../src/main/engine/log/logger';
import { BasixAdapter } from '../src/main/engine/pbx/basix/adapter';
import { decodeTerm } from '../src/main/engine/pbx/basix/etf-decode';
import { basicAuth } from '../src/main/engine/pbx/basix/endpoints';
import { basixProfileSchema } from '../src/main/engine/pbx/basix/profile';
import { BasixSimulator, SIM_DOMAIN, SIM_TOKEN } from '../src/main/engine/pbx/basix/simulator';
import { median, ratioLine } from './lib/stats';

const OPERATOR = 'operator1';

export interface BasixFirehoseResult {
  foreignEvents: number;
  bareMs: number[];
  adapterMs: number[];
  bareCpuMs: number[];
  adapterCpuMs: number[];
}

export async function measureBasixFirehose(
  options: { foreignEvents?: number; repetitions?: number } = {},
): Promise<BasixFirehoseResult> {
  const foreignEvents = options.foreignEvents ?? 50_000;
  const repetitions = options.repetitions ?? 11;
  const sim = new BasixSimulator();
  const { url } = await sim.start();
  const events: PbxCallEvent[] = [];
  const waiters: (() => void)[] = [];
  const adapter = new BasixAdapter(
    basixProfileSchema.parse({
      id: 'b',
      name: 'B',
      type: 'basix',
      url,
      domain: SIM_DOMAIN,
      token: SIM_TOKEN,
      userName: OPERATOR,
    }),
    {
      log: silentLogger,
      newCallId: (() => {
        let n = 0;
        return () => `c${++n}`;
      })(),
      events: {
        link: () => undefined,
        call: (event) => {
          events.push(event);
          for (const wake of waiters.splice(0)) wake();
        },
      },
    },
  );
  adapter.start();
  while (adapter.link.status !== 'online') await new Promise((resolve) => setTimeout(resolve, 10));
  const adapterConnection = sim.connections.at(-1)!.id;
  // The bare client: its own app_name (so it does not take the adapter's slot), decodes and counts.
  let decoded = 0;
  let bareDone: (() => void) | null = null;
  let bareTarget = Infinity;
  const bare = new WebSocket(
    `${url.replace('http', 'ws')}/basix/api/ws_cti?app_name=bare&user_name=${OPERATOR}`,
    {
      headers: { Authorization: basicAuth({ domain: SIM_DOMAIN, token: SIM_TOKEN }) },
      perMessageDeflate: false,
    },
  );
  bare.binaryType = 'nodebuffer';
  bare.on('message', (data: Buffer) => {
    decodeTerm(data);
    decoded += 1;
    if (decoded >= bareTarget) bareDone?.();
  });
  await new Promise((resolve) => bare.once('open', resolve));
  await new Promise((resolve) => setTimeout(resolve, 100)); // its greeting frames
  const bareConnection = sim.connections.at(-1)!.id;

  const stream = sim.prepareFirehose(foreignEvents, OPERATOR);
  const nextEvent = (kind: PbxCallEvent['kind']): Promise<void> => {
    const seen = events.length;
    return new Promise((resolve) => {
      const check = (): void => {
        if (events.slice(seen).some((event) => event.kind === kind)) resolve();
        else waiters.push(check);
      };
      check();
    });
  };
  const timed = async (write: () => void, done: Promise<void>): Promise<[number, number]> => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    write();
    await done;
    const used = process.cpuUsage(cpu);
    return [performance.now() - started, (used.user + used.system) / 1_000];
  };
  const result: BasixFirehoseResult = {
    foreignEvents,
    bareMs: [],
    adapterMs: [],
    bareCpuMs: [],
    adapterCpuMs: [],
  };
  try {
    for (let rep = 0; rep <= repetitions; rep++) {
      const uuid = `operator-call-${rep}`;
      const added = sim.prepareChannelEvent(OPERATOR, uuid, 'added');
      const removed = sim.prepareChannelEvent(OPERATOR, uuid, 'removed');
      const runBare = (): Promise<[number, number]> => {
        bareTarget = decoded + foreignEvents + 1;
        const done = new Promise<void>((resolve) => (bareDone = resolve));
        return timed(() => {
          sim.writePrepared(stream.bytes, bareConnection);
          sim.writePrepared(added.bytes, bareConnection);
        }, done);
      };
      const runAdapter = async (): Promise<[number, number]> => {
        const sample = await timed(() => {
          sim.writePrepared(stream.bytes, adapterConnection);
          sim.writePrepared(added.bytes, adapterConnection);
        }, nextEvent('ringing'));
        await timed(() => sim.writePrepared(removed.bytes, adapterConnection), nextEvent('ended'));
        return sample;
      };
      // Alternate who goes first, so neither always inherits the other's garbage.
      const [first, second] =
        rep % 2 === 0
          ? [await runBare(), await runAdapter()]
          : [await runAdapter(), await runBare()].reverse();
      if (rep === 0) continue; // warm-up
      result.bareMs.push(first![0]);
      result.bareCpuMs.push(first![1]);
      result.adapterMs.push(second![0]);
      result.adapterCpuMs.push(second![1]);
    }
  } finally {
    bare.close();
    await adapter.stop();
    await sim.stop();
  }
  return result;
}

export function printBasixFirehose(
  result: BasixFirehoseResult,
  print: (line: string) => void = console.log,
): void {
  print(
    `Basix firehose (${result.foreignEvents.toLocaleString('en')} ETF channel events of other users + 1 of ours), ` +
      `p50 of ${result.bareMs.length} runs:`,
  );
  print(
    ratioLine({
      name: '  adapter / bare decodeTerm client',
      unit: 'ms',
      subject: median(result.adapterMs),
      baseline: median(result.bareMs),
      target: 1.25,
    }),
  );
  print(
    ratioLine({
      name: '  same, CPU time of this process',
      unit: 'ms CPU',
      subject: median(result.adapterCpuMs),
      baseline: median(result.bareCpuMs),
      target: 1.25,
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void measureBasixFirehose().then(
    (result) => {
      printBasixFirehose(result);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
