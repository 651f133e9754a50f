import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { bridgeNodeFlags, ensureBuilt, rssMb } from './lib/relay';

const root = path.resolve(import.meta.dirname, '..');
const RUN_TIMEOUT_MS = 20_000;

export interface ResidentProcess {
  pid: number;
  command: string;
  rssMb: number;
}

export interface ColdStartResult {
  /** `npm run bridge -- --config F`: spawn → first TLS handshake on the Patriot port, ms. */
  npm: number[];
  /** `node [the script's flags] scripts/bridge.mjs --config F` (the same without npm), ms. */
  node: number[];
  /** `node bench/bare-wss-server.mjs`, the same certificate, ms. */
  bare: number[];
  /** Processes of the `npm run bridge` tree other than the bridge itself, once it accepted TLS. */
  resident: ResidentProcess[];
  /** RSS of the bridge process itself at that point, MB. */
  bridgeRssMb: number;
  /**
   * npm's own cost: spawn → exit of `npm run bridge -- --help` and of `node [flags] scripts/bridge.mjs --help`
   * (the same script, which prints its usage and exits), ms. Their difference is what npm adds to a start.
   */
  npmOverhead: { npm: number[]; node: number[] };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function handshake(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Every process below `pid` (Linux /proc), depth first. */
function descendants(pid: number): number[] {
  const found: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    } catch {
      continue;
    }
    for (const child of text ? text.split(/\s+/).map(Number) : []) found.push(child, ...descendants(child));
  }
  return found;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '?';
  }
}

interface Started {
  ms: number;
  child: ChildProcess;
}

/** Spawns `command` (in its own process group) and polls until a TLS handshake on `port` succeeds. */
async function timeToHandshake(command: string, args: string[], port: number): Promise<Started> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  let exited = false;
  child.once('exit', () => (exited = true));
  while (performance.now() - started < RUN_TIMEOUT_MS) {
    if (await handshake(port)) return { ms: performance.now() - started, child };
    if (exited) throw new Error(`${command} ${args.join(' ')} exited before accepting TLS`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  stop(child);
  throw new Error(`${command} ${args.join(' ')} did not accept TLS within ${RUN_TIMEOUT_MS} ms`);
}

/** Spawns `command` and waits for it to exit 0; spawn → exit, ms. */
async function timeToExit(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`);
  return performance.now() - started;
}

/** Kills the whole process group this bench started (npm and the bridge below it); waits until it is gone. */
async function stop(child: ChildProcess): Promise<void> {
  const gone = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const group = -child.pid!;
  try {
    process.kill(group, 'SIGKILL');
  } catch {
    // already gone
  }
  await gone;
  // The bridge below npm is reaped by init, a moment later: its lock must be free before the next start.
  for (const deadline = Date.now() + 5_000; Date.now() < deadline;) {
    try {
      process.kill(group, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Cold start of the contract's command to a TLS handshake (certificate already in dataDir, as on every start
 * but the first; bundle already built, as after the first start of a clone): `npm run bridge`, the same
 * without npm, and a bare wss server with the same certificate, alternating runs.
 */
export async function measureColdStart(runs = 10): Promise<ColdStartResult> {
  ensureBuilt();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dialler-cold-'));
  const port = await freePort();
  const configFile = path.join(dataDir, 'config.json');
  await writeFile(
    configFile,
    JSON.stringify({
      dataDir,
      patriot: { listen: { port }, apiKeys: ['bench-api-key-0123456789'] },
      dialing: { rateLimit: { dials: 0 } },
      activeProfile: 'demo',
      profiles: [{ id: 'demo', name: 'Demo', type: 'simulator' }],
    }),
  );
  const npmArgs = ['run', '--silent', 'bridge', '--', '--config', configFile];
  const nodeArgs = [...bridgeNodeFlags(), 'scripts/bridge.mjs', '--config', configFile];
  const bareArgs = [
    'bench/bare-wss-server.mjs',
    path.join(dataDir, 'bridge-cert.pem'),
    path.join(dataDir, 'bridge-key.pem'),
    String(port),
  ];
  const npmOverhead = { npm: [], node: [] };
  const result: ColdStartResult = {
    npm: [],
    node: [],
    bare: [],
    resident: [],
    bridgeRssMb: NaN,
    npmOverhead,
  };
  try {
    await stop((await timeToHandshake(process.execPath, nodeArgs, port)).child); // makes the certificate
    for (let i = 0; i < runs; i++) {
      const viaNpm = await timeToHandshake('npm', npmArgs, port);
      result.npm.push(viaNpm.ms);
      if (i === runs - 1) {
        // The tree under npm: npm itself, then (sh exec'd into) node, the bridge; anything else is extra.
        const tree = [viaNpm.child.pid!, ...descendants(viaNpm.child.pid!)];
        const bridge = tree.find((pid) => commandOf(pid).includes('scripts/bridge.mjs'));
        result.bridgeRssMb = bridge === undefined ? NaN : rssMb(bridge);
        result.resident = tree
          .filter((pid) => pid !== bridge)
          .map((pid) => ({ pid, command: commandOf(pid), rssMb: rssMb(pid) }));
      }
      await stop(viaNpm.child);
      const viaNode = await timeToHandshake(process.execPath, nodeArgs, port);
      result.node.push(viaNode.ms);
      await stop(viaNode.child);
      const bare = await timeToHandshake(process.execPath, bareArgs, port);
      result.bare.push(bare.ms);
      await stop(bare.child);
      result.npmOverhead.npm.push(await timeToExit('npm', ['run', '--silent', 'bridge', '--', '--help']));
      result.npmOverhead.node.push(
        await timeToExit(process.execPath, [...bridgeNodeFlags(), 'scripts/bridge.mjs', '--help']),
      );
    }
    return result;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
