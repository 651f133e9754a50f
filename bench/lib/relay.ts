import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectPatriot, isStatus, type BenchPatriot } from './patriot-client';

const root = path.resolve(import.meta.dirname, '../..');
export const BENCH_API_KEY = 'bench-api-key-0123456789';
const settleMs = Number(process.env.BENCH_SETTLE_MS ?? 5);

/** One PBX as the relay bench needs it: a simulator in this process and what a relay needs to reach it. */
export interface RelayPbx {
  /** The bridge profile that points at the simulator. */
  profile: Record<string, unknown>;
  /** How the bare forwarder reaches the simulator (passed to bench/bare-forwarder.ts). */
  bare: { kind: 'viptel' | 'innovaphone' | 'basix' | 'harmony'; url: string };
  /** Resolves with performance.now() when the simulator receives the dial command for `number`. */
  dialArrives(number: string): Promise<number>;
  stop(): Promise<void>;
}

export interface RelaySamples {
  bridge: number[];
  bare: number[];
  /** CPU time (all threads, user + system) per measured cycle of each relay process, µs; NaN off Linux. */
  cpuPerCycleUs: { bridge: number; bare: number };
}

/**
 * How dials follow each other. `operator`: a new number each time, 5 ms after the previous call's aftermath.
 * `back-to-back`: the same number redialled the moment the previous call is over (what a busy alarm queue does).
 */
export type Pace = 'operator' | 'back-to-back';

/** Every wait of the bench is bounded: a stuck bridge fails the run instead of hanging it. */
const STEP_TIMEOUT_MS = 10_000;

function within<T>(promise: Promise<T>, what: string, ms = STEP_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench: ${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The node flags `npm run bridge` starts the bridge with (package.json), so the bench's bridge processes
 * run as the contract's command does.
 */
export function bridgeNodeFlags(): string[] {
  const scripts = (
    JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const match = /\bnode((?:\s+--\S+)*)\s+scripts\/bridge\.mjs/.exec(scripts.bridge ?? '');
  if (!match) throw new Error('bench: package.json "bridge" no longer runs node … scripts/bridge.mjs');
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}

/** Builds out/headless/bridge.mjs if it is stale, as `npm run bridge` would (outside any measurement). */
export function ensureBuilt(): void {
  const built = spawnSync(process.execPath, ['scripts/bridge.mjs', '--help'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(built.stderr);
}

/** CPU time a process has used so far (user + system, all threads), ms (Linux /proc); NaN elsewhere. */
export function cpuMs(pid: number): number {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Resident set size of a process, MB (Linux /proc); NaN elsewhere. */
export function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Dial relay latency: Patriot's dial-request sent → the PBX simulator receives the dial command.
 * The relay runs in its own process, as in production: the built headless bridge (JSON logs to a pipe),
 * or a bare forwarder (wss in, parse, command out). Patriot and the PBX simulator share this process,
 * so both timestamps come from one clock.
 */
export async function measureRelay(
  pbx: RelayPbx,
  pace: Pace,
  iterations = 300,
  rounds = 3,
): Promise<RelaySamples> {
  ensureBuilt();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dialler-relay-'));
  const children: ChildProcess[] = [];
  const samples: RelaySamples = { bridge: [], bare: [], cpuPerCycleUs: { bridge: 0, bare: 0 } };
  try {
    const { url: bridge, pid: bridgePid } = await startBridgeProcess(pbx, dataDir, children);
    const ca = await readFile(path.join(dataDir, 'bridge-cert.pem'), 'utf8');
    const bare = await startBareProcess(pbx, dataDir, children);
    const barePid = children.at(-1)!.pid!;
    const viaBridge = await connectPatriot(bridge, BENCH_API_KEY, ca);
    await viaBridge.waitFor(isStatus(false));
    const viaBare = await connectPatriot(bare, BENCH_API_KEY, ca);
    let n = 0;
    const nextNumber = () => (pace === 'back-to-back' ? '5550100' : String(5_550_000 + n++));
    const settle = pace === 'operator' ? settleMs : 0;
    const warmup = Math.min(50, iterations);
    for (let i = 0; i < warmup; i++) await dial(pbx, viaBridge, nextNumber(), true, settle);
    for (let i = 0; i < warmup; i++) await dial(pbx, viaBare, nextNumber(), false, settle);
    // CPU is counted over the measured rounds only (not start-up or warm-up); each process idles while
    // the other one's round runs.
    let bridgeCpu = 0;
    let bareCpu = 0;
    for (let round = 0; round < rounds; round++) {
      let before = cpuMs(bridgePid);
      for (let i = 0; i < iterations; i++)
        samples.bridge.push(await dial(pbx, viaBridge, nextNumber(), true, settle));
      bridgeCpu += cpuMs(bridgePid) - before;
      before = cpuMs(barePid);
      for (let i = 0; i < iterations; i++)
        samples.bare.push(await dial(pbx, viaBare, nextNumber(), false, settle));
      bareCpu += cpuMs(barePid) - before;
    }
    const cycles = iterations * rounds;
    samples.cpuPerCycleUs = { bridge: (1000 * bridgeCpu) / cycles, bare: (1000 * bareCpu) / cycles };
    viaBridge.close();
    viaBare.close();
  } finally {
    for (const child of children) child.kill(process.env.BENCH_BRIDGE_NODE_ARGS ? 'SIGINT' : 'SIGKILL');
    await pbx.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return samples;
}

/**
 * RSS of the bridge process after `checkpoints` back-to-back dial/hang-up cycles of the same number
 * (one bridge process, counted from its start; the caller puts the first checkpoint past V8's warm-up growth).
 */
export async function measureMemory(pbx: RelayPbx, checkpoints: readonly number[]): Promise<number[]> {
  ensureBuilt();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dialler-rss-'));
  const children: ChildProcess[] = [];
  const rss: number[] = [];
  try {
    const { url, pid } = await startBridgeProcess(pbx, dataDir, children);
    const ca = await readFile(path.join(dataDir, 'bridge-cert.pem'), 'utf8');
    const patriot = await connectPatriot(url, BENCH_API_KEY, ca);
    await within(patriot.waitFor(isStatus(false)), 'first status');
    let cycles = 0;
    for (const checkpoint of checkpoints) {
      for (; cycles < checkpoint; cycles++) await dial(pbx, patriot, '5550100', true, 0);
      rss.push(rssMb(pid));
    }
    patriot.close();
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await pbx.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return rss;
}

/** One dial and its hang-up; returns the dial's latency. The bare forwarder signals the end itself. */
async function dial(
  pbx: RelayPbx,
  patriot: BenchPatriot,
  number: string,
  viaBridge: boolean,
  settle: number,
): Promise<number> {
  const arrived = pbx.dialArrives(number);
  const active = viaBridge ? patriot.waitFor(isStatus(true)) : Promise.resolve(null);
  const sent = performance.now();
  patriot.send({ type: 'dial-request', payload: { phoneNo: number, rawPhoneNo: number } });
  const latency = (await within(arrived, 'the dial command at the PBX')) - sent;
  await within(active, 'callActive:true');
  const idle = patriot.waitFor(viaBridge ? isStatus(false) : (m) => m.type === 'bench-call-ended');
  patriot.send({ type: 'hangup-request' });
  await within(idle, 'the hang-up');
  // Operator pace: the previous call's aftermath (call log, events) is over first.
  if (settle > 0) await new Promise((resolve) => setTimeout(resolve, settle));
  return latency;
}

async function startBridgeProcess(
  pbx: RelayPbx,
  dataDir: string,
  children: ChildProcess[],
): Promise<{ url: string; pid: number }> {
  const configFile = path.join(dataDir, 'bridge.json');
  await writeFile(
    configFile,
    JSON.stringify({
      dataDir,
      logLevel: 'info',
      patriot: { listen: { port: 0 }, apiKeys: [BENCH_API_KEY] },
      // The default limit (20 dials per 10 s) refuses back-to-back dials.
      dialing: { rateLimit: { dials: 0 } },
      activeProfile: pbx.profile.id,
      profiles: [pbx.profile],
    }),
  );
  // Logs go to a file, as a service's would; a pipe read by this process would share its event loop.
  const logFile = path.join(dataDir, 'bridge.log');
  const logFd = openSync(logFile, 'a');
  const nodeArgs = process.env.BENCH_BRIDGE_NODE_ARGS?.split(' ') ?? [];
  // The process `npm run bridge` runs (its launcher, then the built bundle), without npm as its parent.
  const args = [...bridgeNodeFlags(), ...nodeArgs, 'scripts/bridge.mjs', '--config', configFile];
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', logFd, 'inherit'],
  });
  closeSync(logFd);
  children.push(child);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`the bridge did not come online within 20 s; see ${logFile}`);
    const records = (await readFile(logFile, 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const started = records.find((record) => record.msg === 'bridge started');
    const online = records.some((record) => record.msg === 'PBX link' && record.status === 'online');
    if (started && online) return { url: String(started.endpoint), pid: child.pid! };
    if (child.exitCode !== null) throw new Error(`the bridge exited (${child.exitCode}); see ${logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function startBareProcess(pbx: RelayPbx, dataDir: string, children: ChildProcess[]): Promise<string> {
  const spec = {
    ...pbx.bare,
    certFile: path.join(dataDir, 'bridge-cert.pem'),
    keyFile: path.join(dataDir, 'bridge-key.pem'),
  };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/bare-forwarder.ts', JSON.stringify(spec)],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  let url = '';
  await within(
    waitForLine(child, (record) => {
      url = String(record.url);
      return record.msg === 'listening';
    }),
    'the bare forwarder start',
    20_000,
  );
  return url;
}

/** Reads the child's JSON lines (and keeps draining them) until `done` says so. */
function waitForLine(child: ChildProcess, done: (record: Record<string, unknown>) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let finished = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (finished || !line.startsWith('{')) continue;
        if (done(JSON.parse(line) as Record<string, unknown>)) {
          finished = true;
          resolve();
        }
      }
    });
    child.once('exit', (code) => {
      if (!finished) reject(new Error(`relay process exited (${code}) before it was ready`));
    });
  });
}
