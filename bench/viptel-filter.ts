import { randomUUID } from 'node:crypto';
// npx tsx bench/viptel-filter.ts — VIPTel firehose: how much the adapter's event filter costs over merely
// parsing the same stream.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import type { PbxCallEvent } from '../src/main/engine/pbx/adapter';
import { createLogger } from '../src/main/engine/log/logger';
import { ViptelAdapter } from '../src/main/engine/pbx/viptel/adapter';
import { loginHash } from '../src/main/engine/pbx/viptel/login-hash';
import { viptelProfileSchema } from '../src/main/engine/pbx/viptel/profile';
import { findNonce } from '../src/main/engine/pbx/viptel/protocol';
import { median, ratioLine } from './lib/stats';
import { FIREHOSE_USERS, type FirehoseReport, type FirehoseRequest } from './viptel-firehose-protocol';

export interface FirehoseOptions {
  /** Events of other extensions before ours (default 50,000). */
  foreignEvents?: number;
  /** Measured repetitions of each variant, after one warm-up (default 11). */
  repetitions?: number;
  extension?: string;
}

/** One measured stream: wall time, and CPU time of this process (steadier on a busy machine). */
export interface FirehoseSample {
  wallMs: number;
  cpuMs: number;
}

export interface FirehoseResult {
  foreignEvents: number;
  /** (a) bare ws client: stream sent → last frame JSON.parsed. */
  bare: FirehoseSample[];
  /** (b) ViptelAdapter, operator idle: stream sent → the `ringing` event for our call. */
  adapter: FirehoseSample[];
  /** (c) ViptelAdapter with one live call (the id fallback scan runs): stream sent → `connected`. */
  adapterLiveCall: FirehoseSample[];
  /** Events the adapter counted as not the operator's over the whole run. */
  adapterIgnored: number;
  /** How long the simulator took to hand over the last stream (prepared frames): ≪ the times above. */
  simulatorSendMs: number;
}

/**
 * Streams `foreignEvents` events of other extensions plus one for the operator's extension from the
 * VIPTel simulator (in a child process) to (a) a bare ws client that only parses, and (b) the adapter.
 */
export async function measureViptelFirehose(options: FirehoseOptions = {}): Promise<FirehoseResult> {
  const foreignEvents = options.foreignEvents ?? 50_000;
  const repetitions = options.repetitions ?? 11;
  const extension = options.extension ?? '12';
  const server = await startServer();
  const bare = await connectBareClient(server, foreignEvents + 1);
  const adapter = await startAdapter(server, extension);
  const result: FirehoseResult = {
    foreignEvents,
    bare: [],
    adapter: [],
    adapterLiveCall: [],
    adapterIgnored: 0,
    simulatorSendMs: NaN,
  };
  try {
    await server.request({ type: 'prepare', count: foreignEvents, extension }, 'prepared');
    let sequence = 0;
    const callFrames = () => {
      const uniqueId = `1700000000.${++sequence}`;
      return {
        begin: JSON.stringify({
          event: 'call.begin',
          caller: '0905123456',
          caller_name: '0905123456',
          callee: extension,
          callee_name: 'Operator',
          called_number: extension,
          unique_id: uniqueId,
        }),
        pickup: JSON.stringify({ event: 'call.pickup', unique_id: uniqueId }),
        end: JSON.stringify({ event: 'call.end', unique_id: uniqueId, status: 'answer' }),
      };
    };
    /** Sends `tail` (after the stream when `foreign`) and waits for `done`. */
    const timed = async (
      to: number,
      foreign: boolean,
      tail: string,
      done: Promise<void>,
    ): Promise<FirehoseSample> => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      server.send({ type: 'send', to, foreign, tail: [tail] });
      await done;
      const wallMs = performance.now() - started;
      const used = process.cpuUsage(cpu);
      return { wallMs, cpuMs: (used.user + used.system) / 1_000 };
    };
    // (a) bare client
    const bareRun = async (): Promise<FirehoseSample> => {
      const parsedAll = bare.nextRound();
      return timed(bare.connectionId, true, callFrames().begin, parsedAll);
    };
    // (b) adapter, operator idle
    const adapterRun = async (): Promise<FirehoseSample> => {
      const call = callFrames();
      const sample = await timed(adapter.connectionId, true, call.begin, adapter.next('ringing'));
      await timed(adapter.connectionId, false, call.end, adapter.next('ended'));
      return sample;
    };
    // (c) adapter with the call live (ringing) while the stream passes
    const liveCallRun = async (): Promise<FirehoseSample> => {
      const call = callFrames();
      await timed(adapter.connectionId, false, call.begin, adapter.next('ringing'));
      const sample = await timed(adapter.connectionId, true, call.pickup, adapter.next('connected'));
      await timed(adapter.connectionId, false, call.end, adapter.next('ended'));
      return sample;
    };
    for (let rep = 0; rep <= repetitions; rep++) {
      // Alternate who goes first, so neither always inherits the other's garbage.
      let bareSample: FirehoseSample;
      let adapterSample: FirehoseSample;
      if (rep % 2 === 0) {
        bareSample = await bareRun();
        adapterSample = await adapterRun();
      } else {
        adapterSample = await adapterRun();
        bareSample = await bareRun();
      }
      const liveSample = await liveCallRun();
      if (rep === 0) continue; // warm-up
      result.bare.push(bareSample);
      result.adapter.push(adapterSample);
      result.adapterLiveCall.push(liveSample);
    }
    result.adapterIgnored = adapter.adapter.ignoredEvents;
    result.simulatorSendMs = server.lastSendMs();
  } finally {
    await adapter.adapter.stop();
    bare.socket.close();
    await server.stop();
  }
  return result;
}

interface FirehoseServer {
  url: string;
  send(request: FirehoseRequest): void;
  request(request: FirehoseRequest, reply: FirehoseReport['type']): Promise<void>;
  loginOf(username: string): Promise<number>;
  lastSendMs(): number;
  stop(): Promise<void>;
}

async function startServer(): Promise<FirehoseServer> {
  const script = fileURLToPath(new URL('./viptel-firehose-server.ts', import.meta.url));
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const logins = new Map<string, number>();
  let lastSendMs = NaN;
  const reports: FirehoseReport[] = [];
  const waiters: (() => void)[] = [];
  child.on('message', (report: FirehoseReport) => {
    if (report.type === 'login') logins.set(report.username, report.connectionId);
    if (report.type === 'sent') lastSendMs = report.ms;
    reports.push(report);
    for (const wake of waiters.splice(0)) wake();
  });
  const waitFor = async <T>(pick: () => T | undefined): Promise<T> => {
    for (;;) {
      const value = pick();
      if (value !== undefined) return value;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const ready = await waitFor(() => reports.find((r) => r.type === 'ready'));
  return {
    url: ready.type === 'ready' ? ready.url : '',
    send: (request) => child.send(request),
    request: async (request, reply) => {
      const before = reports.length;
      child.send(request);
      await waitFor(() => reports.slice(before).find((r) => r.type === reply));
    },
    loginOf: (username) => waitFor(() => logins.get(username)),
    lastSendMs: () => lastSendMs,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'stop' } satisfies FirehoseRequest);
      await exited;
    },
  };
}

/** (a): logs in like any client, then only parses every frame and counts them. */
async function connectBareClient(
  server: FirehoseServer,
  framesPerRound: number,
): Promise<{ socket: WebSocket; connectionId: number; nextRound(): Promise<void> }> {
  const [user] = FIREHOSE_USERS;
  const socket = new WebSocket(server.url);
  let count = 0;
  let loggedIn = false;
  let roundDone: (() => void) | null = null;
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as Record<string, unknown>;
    if (!loggedIn) {
      const nonce = findNonce(frame);
      if (nonce)
        socket.send(
          JSON.stringify({
            action: 'user.login',
            username: user.username,
            password: loginHash(user.username, user.password, nonce),
          }),
        );
      if (frame.code === 202) loggedIn = true;
      return;
    }
    count += 1;
    if (count === framesPerRound && roundDone) roundDone();
  });
  const connectionId = await server.loginOf(user.username);
  return {
    socket,
    connectionId,
    nextRound: () =>
      new Promise<void>((resolve) => {
        count = 0;
        roundDone = resolve;
      }),
  };
}

/** (b): the real adapter, with a real (discarding) logger at info level. */
async function startAdapter(
  server: FirehoseServer,
  extension: string,
): Promise<{
  adapter: ViptelAdapter;
  connectionId: number;
  next(kind: PbxCallEvent['kind']): Promise<void>;
}> {
  const [, user] = FIREHOSE_USERS;
  let waiting: { kind: PbxCallEvent['kind']; resolve: () => void } | null = null;
  const profile = viptelProfileSchema.parse({
    id: 'bench',
    name: 'Bench',
    type: 'viptel',
    url: server.url,
    username: user.username,
    password: user.password,
    extension,
  });
  const adapter = new ViptelAdapter(profile, {
    log: createLogger({ level: 'info', sinks: [() => undefined] }),
    newCallId: () => randomUUID().replaceAll('-', ''),
    events: {
      link: () => undefined,
      call: (event) => {
        if (waiting && event.kind === waiting.kind) {
          const { resolve } = waiting;
          waiting = null;
          resolve();
        }
      },
    },
  });
  adapter.start();
  const connectionId = await server.loginOf(user.username);
  while (adapter.link.status !== 'online') await new Promise((resolve) => setTimeout(resolve, 5));
  return {
    adapter,
    connectionId,
    next: (kind) => new Promise<void>((resolve) => (waiting = { kind, resolve })),
  };
}

export function printViptelFirehose(
  result: FirehoseResult,
  print: (line: string) => void = console.log,
): void {
  const p50 = (samples: FirehoseSample[], key: keyof FirehoseSample): number =>
    median(samples.map((sample) => sample[key]));
  print(
    `VIPTel firehose (${result.foreignEvents.toLocaleString('en')} events of other extensions + 1 of ours), ` +
      `p50 of ${result.bare.length} runs:`,
  );
  const line = (name: string, subject: FirehoseSample[], key: keyof FirehoseSample, target: number | null) =>
    print(
      ratioLine({
        name,
        unit: key === 'wallMs' ? 'ms' : 'ms CPU',
        subject: p50(subject, key),
        baseline: p50(result.bare, key),
        target,
      }),
    );
  line('  adapter (idle) / bare JSON.parse client', result.adapter, 'wallMs', 1.25);
  line('  same, CPU time of the receiving process', result.adapter, 'cpuMs', 1.25);
  line('  adapter (one live call) / bare client', result.adapterLiveCall, 'wallMs', null);
  line('  same, CPU time', result.adapterLiveCall, 'cpuMs', null);
  print(`  events the adapter ignored (counted, not logged): ${result.adapterIgnored.toLocaleString('en')}`);
  print(
    `  the simulator (child process) handed over the last stream in ${result.simulatorSendMs.toFixed(1)} ms: ` +
      'the receiver sets the pace',
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  measureViptelFirehose().then(
    (result) => {
      printViptelFirehose(result);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
