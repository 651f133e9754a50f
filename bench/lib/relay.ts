import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
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
  bare: { kind: 'viptel' | 'innovaphone'; url: string };
  /** Resolves with performance.now() when the simulator receives the dial command for `number`. */
  dialArrives(number: string): Promise<number>;
  stop(): Promise<void>;
}

export interface RelaySamples {
  bridge: number[];
  bare: number[];
}

/**
 * Dial relay latency: Patriot's dial-request sent → the PBX simulator receives the dial command.
 * The relay runs in its own process, as in production: the built headless bridge (JSON logs to a pipe),
 * or a bare forwarder (wss in, parse, command out). Patriot and the PBX simulator share this process,
 * so both timestamps come from one clock.
 */
export async function measureRelay(pbx: RelayPbx, iterations = 300, rounds = 3): Promise<RelaySamples> {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', 'bridge'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(built.stderr);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dialler-relay-'));
  const children: ChildProcess[] = [];
  const samples: RelaySamples = { bridge: [], bare: [] };
  try {
    const bridge = await startBridgeProcess(pbx, dataDir, children);
    const ca = await readFile(path.join(dataDir, 'bridge-cert.pem'), 'utf8');
    const bare = await startBareProcess(pbx, dataDir, children);
    const viaBridge = await connectPatriot(bridge, BENCH_API_KEY, ca);
    await viaBridge.waitFor(isStatus(false));
    const viaBare = await connectPatriot(bare, BENCH_API_KEY, ca);
    let n = 0;
    const nextNumber = () => String(5_550_000 + n++);
    const warmup = Math.min(50, iterations);
    for (let i = 0; i < warmup; i++) await dial(pbx, viaBridge, nextNumber(), true);
    for (let i = 0; i < warmup; i++) await dial(pbx, viaBare, nextNumber(), false);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < iterations; i++)
        samples.bridge.push(await dial(pbx, viaBridge, nextNumber(), true));
      for (let i = 0; i < iterations; i++) samples.bare.push(await dial(pbx, viaBare, nextNumber(), false));
    }
    viaBridge.close();
    viaBare.close();
  } finally {
    for (const child of children) child.kill(process.env.BENCH_BRIDGE_NODE_ARGS ? 'SIGINT' : 'SIGKILL');
    await pbx.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return samples;
}

/** One dial and its hang-up; returns the dial's latency. The bare forwarder signals the end itself. */
async function dial(
  pbx: RelayPbx,
  patriot: BenchPatriot,
  number: string,
  viaBridge: boolean,
): Promise<number> {
  const arrived = pbx.dialArrives(number);
  const active = viaBridge ? patriot.waitFor(isStatus(true)) : Promise.resolve(null);
  const sent = performance.now();
  patriot.send({ type: 'dial-request', payload: { phoneNo: number, rawPhoneNo: number } });
  const latency = (await arrived) - sent;
  await active;
  const idle = patriot.waitFor(viaBridge ? isStatus(false) : (m) => m.type === 'bench-call-ended');
  patriot.send({ type: 'hangup-request' });
  await idle;
  // Operators dial one call at a time: the previous call's aftermath (call log, events) is over first.
  if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
  return latency;
}

async function startBridgeProcess(pbx: RelayPbx, dataDir: string, children: ChildProcess[]): Promise<string> {
  const configFile = path.join(dataDir, 'bridge.json');
  await writeFile(
    configFile,
    JSON.stringify({
      dataDir,
      logLevel: 'info',
      patriot: { listen: { port: 0 }, apiKeys: [BENCH_API_KEY] },
      activeProfile: pbx.profile.id,
      profiles: [pbx.profile],
    }),
  );
  // Logs go to a file, as a service's would; a pipe read by this process would share its event loop.
  const logFile = path.join(dataDir, 'bridge.log');
  const logFd = openSync(logFile, 'a');
  const nodeArgs = process.env.BENCH_BRIDGE_NODE_ARGS?.split(' ') ?? [];
  const child = spawn(process.execPath, [...nodeArgs, 'out/headless/bridge.mjs', '--config', configFile], {
    cwd: root,
    stdio: ['ignore', logFd, 'inherit'],
  });
  closeSync(logFd);
  children.push(child);
  for (;;) {
    const records = (await readFile(logFile, 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const started = records.find((record) => record.msg === 'bridge started');
    const online = records.some((record) => record.msg === 'PBX link' && record.status === 'online');
    if (started && online) return String(started.endpoint);
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
  await waitForLine(child, (record) => {
    url = String(record.url);
    return record.msg === 'listening';
  });
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
