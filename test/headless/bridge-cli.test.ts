import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';

const root = path.resolve(import.meta.dirname, '../..');
const bundle = path.join(root, 'out/headless/bridge.mjs');

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exit: Promise<number | null>;
}

/** Runs the built headless bridge as `npm run bridge` does, without any test aliasing of electron. */
function runBridge(args: string[], viaNpm = false): Run {
  const child = viaNpm
    ? spawn('npm', ['run', '--silent', 'bridge', '--', ...args], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, [bundle, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let outBuffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    outBuffer += chunk.toString();
    const lines = outBuffer.split('\n');
    outBuffer = lines.pop()!;
    stdout.push(...lines);
  });
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(...chunk.toString().split('\n').filter(Boolean)));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout, stderr, exit };
}

/** The processes whose parent is `pid` (Linux /proc). */
function childPids(pid: number): number[] {
  const found: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    if (text) found.push(...text.split(/\s+/).map(Number));
  }
  return found;
}

const demoProfile = { id: 'demo', name: 'Demo', type: 'simulator' };
const viptelProfile = {
  id: 'office',
  name: 'Office',
  type: 'viptel',
  url: 'ws://127.0.0.1:9/',
  username: 'operator',
  password: 'viptel-password-42',
  extension: '12',
};

describe('headless runner (npm run bridge)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const running: ChildProcess[] = [];

  beforeAll(() => {
    const built = spawnSync(process.execPath, ['scripts/build.mjs', 'bridge'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
  });
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(async () => {
    for (const child of running.splice(0)) child.kill('SIGKILL');
    await cleanup();
  });

  async function writeConfig(config: unknown): Promise<string> {
    const file = path.join(dir, 'bridge.json');
    await writeFile(file, JSON.stringify(config));
    return file;
  }

  it('rejects an invalid config before listening, with one stderr line naming file, key path and expectation', async () => {
    const file = await writeConfig({
      dataDir: './data',
      activeProfile: 'demo',
      profiles: [demoProfile, { ...viptelProfile, extension: 'twelve' }],
    });
    const run = runBridge(['--config', file]);
    expect(await run.exit).not.toBe(0);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toContain(file);
    expect(run.stderr[0]).toContain('profiles[1].extension');
    expect(run.stderr[0]).toContain('expected the extension number');
    expect(run.stdout.join('')).not.toContain('listening');
  });

  it("refuses a profile's missing caFile before listening, naming the key path and the file", async () => {
    const file = await writeConfig({
      dataDir: './data',
      activeProfile: 'demo',
      profiles: [demoProfile, { ...viptelProfile, caFile: './no-such-ca.pem' }],
    });
    const run = runBridge(['--config', file]);
    expect(await run.exit).not.toBe(0);
    expect(run.stderr).toEqual([
      expect.stringMatching(/profiles\[1\]\.caFile: the file .*no-such-ca\.pem does not exist/),
    ]);
    expect(run.stdout.join('')).not.toContain('listening');
  });

  it('says so when the config file is missing', async () => {
    const run = runBridge(['--config', path.join(dir, 'nowhere.json')]);
    expect(await run.exit).not.toBe(0);
    expect(run.stderr).toEqual([expect.stringMatching(/nowhere\.json: file not found/)]);
  });

  it('runs until SIGTERM, logs JSON lines without secrets, and exits 0', async () => {
    const file = await writeConfig({
      dataDir: './data',
      logLevel: 'debug',
      patriot: { listen: { port: 0 }, apiKeys: ['patriot-key-secret-77'] },
      activeProfile: 'demo',
      profiles: [demoProfile, viptelProfile],
    });
    const run = runBridge(['--config', file]);
    running.push(run.child);
    await waitFor(() => run.stdout.some((l) => l.includes('"bridge started"')), 'bridge started', 15_000);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    const records = run.stdout.filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const record of records) {
      expect(record).toEqual(
        expect.objectContaining({
          level: expect.any(String),
          msg: expect.any(String),
          time: expect.any(String),
        }),
      );
    }
    const all = run.stdout.join('\n');
    expect(all).not.toContain('patriot-key-secret-77');
    expect(all).not.toContain('viptel-password-42');
    expect(records.some((r) => r.msg === 'bridge stopped')).toBe(true);
  });

  it('keeps running when the reader of its stdout goes away (`npm run bridge | head`), and says so on stderr', async () => {
    const file = await writeConfig({
      dataDir: './data',
      logLevel: 'debug',
      patriot: { listen: { port: 0 }, apiKeys: ['patriot-key-secret-77'] },
      activeProfile: 'demo',
      profiles: [demoProfile],
    });
    const run = runBridge(['--config', file]);
    running.push(run.child);
    await waitFor(() => run.stdout.some((l) => l.includes('"bridge started"')), 'bridge started', 15_000);
    const started = JSON.parse(run.stdout.find((l) => l.includes('"bridge started"'))!) as {
      endpoint: string;
    };
    const port = Number(new URL(started.endpoint).port);
    run.child.stdout!.destroy();
    // A failed TLS handshake is logged (debug): that line's write is the one that meets the closed pipe.
    const garbage = net.connect(port, '127.0.0.1', () => garbage.end('not a TLS hello\r\n\r\n'));
    garbage.on('error', () => undefined);
    await waitFor(
      () => run.stderr.some((l) => l.includes('the log on stdout stopped')),
      'the broken-log notice on stderr',
      10_000,
    );
    // Still serving: a TLS handshake completes after the log broke.
    await new Promise<void>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
        socket.end();
        resolve();
      });
      socket.on('error', reject);
    });
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('stops cleanly when `npm run bridge` itself gets SIGTERM (the signal reaches the bridge)', async () => {
    const file = await writeConfig({
      dataDir: './data',
      patriot: { listen: { port: 0 }, apiKeys: ['patriot-key-secret-77'] },
      activeProfile: 'demo',
      profiles: [demoProfile],
    });
    const run = runBridge(['--config', file], true);
    running.push(run.child);
    await waitFor(() => run.stdout.some((l) => l.includes('"bridge started"')), 'bridge started', 20_000);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stdout.some((l) => l.includes('"bridge stopped"'))).toBe(true);
  });

  it.skipIf(process.platform !== 'linux')(
    '`npm run bridge` rebuilds a stale bundle and leaves no builder process beside the bridge',
    async () => {
      // Older than every source: the launcher must build before it starts the bridge.
      await utimes(bundle, new Date(0), new Date(0));
      const file = await writeConfig({
        dataDir: './data',
        patriot: { listen: { port: 0 }, apiKeys: ['patriot-key-secret-77'] },
        activeProfile: 'demo',
        profiles: [demoProfile],
      });
      const run = runBridge(['--config', file], true);
      running.push(run.child);
      await waitFor(() => run.stdout.some((l) => l.includes('"bridge started"')), 'bridge started', 20_000);
      expect(run.stderr.join('\n')).toContain('building out/headless/bridge.mjs');
      // npm → (sh exec'd into) node: the bridge, whose children would be a builder left running.
      const bridgePids = childPids(run.child.pid!);
      expect(bridgePids).toHaveLength(1);
      expect(childPids(bridgePids[0]!)).toEqual([]);
      expect(readFileSync(`/proc/${bridgePids[0]!}/cmdline`, 'utf8')).toContain('scripts/bridge.mjs');
      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
    },
  );

  it('killed with SIGKILL, keeps the call-log line of every call Patriot heard end', async () => {
    const apiKey = 'patriot-key-secret-77';
    const file = await writeConfig({
      dataDir: './data',
      patriot: { listen: { port: 0 }, apiKeys: [apiKey] },
      dialing: { rateLimit: { dials: 0 } },
      activeProfile: 'demo',
      profiles: [{ ...demoProfile, ringAfterMs: 0, answerAfterMs: 0 }],
    });
    const run = runBridge(['--config', file]);
    running.push(run.child);
    await waitFor(() => run.stdout.some((l) => l.includes('"bridge started"')), 'bridge started', 15_000);
    const { endpoint } = JSON.parse(run.stdout.find((l) => l.includes('"bridge started"'))!) as {
      endpoint: string;
    };
    const ca = readFileSync(path.join(dir, 'data', 'bridge-cert.pem'));
    const socket = new WebSocket(endpoint, { ca });
    socket.on('error', () => undefined);
    // Back to back: each dial of the simulator's busy number ends at once; the next goes out when
    // Patriot hears callActive:false. The kill comes the moment the last end is heard, so a line still
    // on its way to the disk would be lost.
    const target = 20;
    let told = 0;
    let dialling = false;
    let started = false;
    const dial = () => {
      dialling = true;
      socket.send(JSON.stringify({ type: 'dial-request', payload: { phoneNo: '*86', rawPhoneNo: '*86' } }));
    };
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'init-request', payload: { userName: 'op', password: apiKey } })),
    );
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; payload?: { callActive?: boolean } };
      if (message.type !== 'call-status-update' || message.payload?.callActive !== false) return;
      // The first is the status every Patriot hears on authenticating: no call yet, start dialling.
      if (!started) {
        started = true;
        dial();
        return;
      }
      if (!dialling) return;
      dialling = false;
      if (++told === target) run.child.kill('SIGKILL');
      else dial();
    });
    await run.exit;
    socket.terminate();
    expect(told).toBe(target);
    const lines = readFileSync(path.join(dir, 'data', 'calls.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean);
    const entries = lines.map((line) => JSON.parse(line) as { number: string; outcome: string });
    expect(entries).toHaveLength(target);
    for (const entry of entries) expect(entry).toMatchObject({ number: '*86', outcome: 'busy' });
  });

  it('exits non-zero with a clear message when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const file = await writeConfig({
        dataDir: './data',
        patriot: { listen: { port }, apiKeys: ['patriot-key-secret-77'] },
        activeProfile: 'demo',
        profiles: [demoProfile],
      });
      const run = runBridge(['--config', file]);
      running.push(run.child);
      expect(await run.exit).toBe(1);
      expect(run.stderr.join('\n')).toContain(String(port));
    } finally {
      blocker.close();
    }
  });

  it('prints usage for --help and refuses unknown options', async () => {
    const help = runBridge(['--help']);
    expect(await help.exit).toBe(0);
    expect(help.stdout.join('\n')).toContain('--config');
    const bad = runBridge(['--confg', 'x']);
    expect(await bad.exit).toBe(2);
  });
});
