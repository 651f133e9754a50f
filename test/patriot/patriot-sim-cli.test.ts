import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PatriotClient } from '../../src/main/engine/patriot/client';
import { ensureCertificate, type ServerCertificate } from '../../src/main/engine/tls/certificate';
import { runPatriotSim, USAGE } from '../../src/main/headless/patriot-sim-cli';
import { captureLog } from '../support/log-capture';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';
import { API_KEY, FakeHandler, startServer, type RunningServer } from './helpers';

const CLI = fileURLToPath(new URL('../../src/main/headless/patriot-sim-cli.ts', import.meta.url));

let certificate: ServerCertificate;
let tempDir: string;
let cleanupDir: () => Promise<void>;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ dir: tempDir, cleanup: cleanupDir } = await makeTempDir());
  certificate = await ensureCertificate(tempDir);
});

afterAll(async () => {
  await cleanupDir();
});

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

function collect() {
  let out = '';
  let err = '';
  return {
    io: { out: (text: string) => (out += text), err: (text: string) => (err += text) },
    out: () => out,
    err: () => err,
  };
}

/** A bridge stand-in in server mode whose "PBX" answers a dial at once and ends the call on hang-up. */
async function startBridge(): Promise<RunningServer> {
  const bridge = await startServer(certificate);
  cleanups.push(() => bridge.server.stop());
  bridge.handler.onDial = (request) => {
    bridge.handler.status = { callActive: true, outbound: true, callerId: request.phoneNo };
    bridge.server.broadcast(bridge.handler.status);
  };
  bridge.handler.onHangup = () => {
    bridge.handler.status = { callActive: false };
    bridge.server.broadcast(bridge.handler.status);
  };
  return bridge;
}

function runSpawned(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('patriot-sim usage', () => {
  it('prints usage for --help and exits 0', async () => {
    const run = collect();
    expect(await runPatriotSim(['--help'], run.io)).toBe(0);
    expect(run.out()).toBe(USAGE);
  });

  it.each([
    [[], /give either --url/],
    [['--url', 'wss://127.0.0.1:1/x', '--listen', '0', '--api-key', 'k'], /give either --url/],
    [['--url', 'https://127.0.0.1/x', '--api-key', 'k'], /--url expects a ws:\/\/ or wss:\/\/ URL/],
    [['--url', 'wss://127.0.0.1:1/x'], /--api-key .* is required/],
    [
      ['--url', 'wss://127.0.0.1:1/x', '--api-key', 'k', '--hangup-after', '2'],
      /--hangup-after needs --dial/,
    ],
    [
      ['--url', 'wss://127.0.0.1:1/x', '--api-key', 'k', '--dial', '1', '--hangup-after', '5', '--wait', '3'],
      /--wait must be longer/,
    ],
    [['--url', 'wss://127.0.0.1:1/x', '--api-key', 'k', '--dial', 'abc'], /has no digits/],
    [['--url', 'wss://127.0.0.1:1/x', '--api-key', 'k', '--ca', 'a.pem', '--insecure'], /at most one of/],
    [['--url', 'wss://127.0.0.1:1/x', '--api-key', 'k', '--fingerprint', 'abc'], /SHA-256 fingerprint/],
    [['--url', 'wss://127.0.0.1:1/x', '--api-key', 'k', '--auth', 'magic'], /--auth expects/],
    [['--listen', 'http', '--api-key', 'k'], /--listen expects a port/],
    [['--listen', '0', '--api-key', 'k', '--cert', 'c.pem'], /both --cert and --key/],
    [['--listen', '0', '--api-key', 'k', '--insecure'], /--insecure only applies with --url/],
    [['--url', 'wss://127.0.0.1:1/x', '--api-key', 'k', '--bogus'], /bogus/],
  ])('exits 2 for %j', async (argv, message) => {
    const run = collect();
    expect(await runPatriotSim(argv, run.io)).toBe(2);
    expect(run.err()).toMatch(message);
    expect(run.out()).toBe('');
  });

  it('runs as a program: a usage error exits 2', async () => {
    const result = await runSpawned(['--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^patriot-sim: .*bogus/);
  });
});

describe('patriot-sim against a bridge in server mode', () => {
  it('runs a full call: init-request, dial, status lines, hang-up, exit 0', async () => {
    const bridge = await startBridge();
    const run = collect();
    const code = await runPatriotSim(
      [
        '--url',
        bridge.url,
        '--api-key',
        API_KEY,
        '--ca',
        certificate.certFile,
        '--user-name',
        'it-check',
        '--dial',
        '+44 (20) 7946-0000',
        '--hangup-after',
        '0.2',
      ],
      run.io,
    );
    expect(run.err()).toBe('');
    expect(code).toBe(0);
    const lines = run.out().trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} {2}\S/);
    const text = run.out();
    expect(text).toContain('init-response  success=true');
    expect(text).toContain('call-status-update  callActive=true outbound=true callerId=+442079460000');
    expect(text).toContain('hangup-request');
    expect(text).toContain('call-status-update  callActive=false');
    expect(text).toContain('scenario completed');
    expect(text).not.toContain(API_KEY);
    expect(bridge.handler.dials).toEqual([
      {
        request: { phoneNo: '+442079460000', rawPhoneNo: '+44 (20) 7946-0000' },
        peer: expect.objectContaining({ label: 'it-check' }),
      },
    ]);
    expect(bridge.handler.hangups).toHaveLength(1);
  });

  it('authenticates with authentication-request and a fingerprint pin', async () => {
    const bridge = await startBridge();
    const run = collect();
    const code = await runPatriotSim(
      [
        '--url',
        bridge.url,
        '--api-key',
        API_KEY,
        '--auth',
        'authentication',
        '--fingerprint',
        certificate.fingerprint256,
        '--wait',
        '0.3',
      ],
      run.io,
    );
    expect(code).toBe(0);
    expect(run.out()).toContain('authentication-response  requestId=patriot-sim-1 success=true');
  });

  it("exits 1 with the bridge's reason when the key is wrong", async () => {
    const bridge = await startBridge();
    const run = collect();
    expect(
      await runPatriotSim(
        ['--url', bridge.url, '--api-key', 'WRONG-KEY-0000', '--ca', certificate.certFile],
        run.io,
      ),
    ).toBe(1);
    expect(run.err()).toBe('patriot-sim: authentication failed: invalid API key\n');
  });

  it('exits 1 with a hint when the certificate is not trusted', async () => {
    const bridge = await startBridge();
    const run = collect();
    expect(await runPatriotSim(['--url', bridge.url, '--api-key', API_KEY, '--wait', '5'], run.io)).toBe(1);
    expect(run.err()).toMatch(/^patriot-sim: cannot connect to .*: the certificate is not trusted .*--ca/);
  });

  it('exits 1 when nothing listens', async () => {
    const bridge = await startBridge();
    await bridge.server.stop();
    const run = collect();
    expect(await runPatriotSim(['--url', bridge.url, '--api-key', API_KEY, '--insecure'], run.io)).toBe(1);
    expect(run.err()).toMatch(/warning: --insecure/);
    expect(run.err()).toMatch(/cannot connect to .*nothing is listening/);
  });

  /** Runs a dial with a hang-up after 0.3 s against `bridge`, whose handler decides the outcome. */
  async function dialThrough(bridge: RunningServer, wait = '3') {
    const run = collect();
    const code = await runPatriotSim(
      ['--url', bridge.url, '--api-key', API_KEY, '--ca', certificate.certFile].concat([
        '--dial',
        '100',
        '--hangup-after',
        '0.3',
        '--wait',
        wait,
      ]),
      run.io,
    );
    return { code, out: run.out(), err: run.err() };
  }

  // Refused (PBX login failed, rejected number) and PBX offline look alike to Patriot: callActive=false at once.
  it.each(['refused', 'PBX offline'])(
    'exits 1 when the bridge answers the dial with callActive=false (%s)',
    async () => {
      const bridge = await startBridge();
      bridge.handler.onDial = () => bridge.server.broadcast({ callActive: false });
      const result = await dialThrough(bridge);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(
        /^patriot-sim: the bridge did not place the call \(callActive=false.*bridge's log/,
      );
      expect(result.out).not.toMatch(/scenario completed|became active/);
    },
  );

  // Busy and no answer: the operator's leg existed (callActive=true), then the PBX ended the call by itself.
  it.each(['busy', 'no answer'])('exits 1 when the call ends before the hang-up (%s)', async () => {
    const bridge = await startBridge();
    bridge.handler.onDial = () => {
      bridge.server.broadcast({ callActive: true, outbound: true });
      setTimeout(() => bridge.server.broadcast({ callActive: false }), 50);
    };
    const result = await dialThrough(bridge);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/the call became active/);
    expect(result.err).toBe('patriot-sim: the call ended before the hang-up was sent\n');
  });

  it('exits 1 when the hang-up is not answered with callActive=false', async () => {
    const bridge = await startBridge();
    let hangups = 0;
    bridge.handler.onHangup = () => void hangups++;
    const result = await dialThrough(bridge, '1');
    expect(hangups).toBe(1);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/hang-up was sent but the call did not end/);
  });

  it('exits 1 when the dial gets no answer at all', async () => {
    const bridge = await startBridge();
    let dials = 0;
    bridge.handler.onDial = () => void dials++;
    const result = await dialThrough(bridge, '1');
    expect(dials).toBe(1);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/never became active/);
  });

  it('exits 1 and says to use wss:// when given ws://', async () => {
    const bridge = await startBridge();
    const run = collect();
    const url = bridge.url.replace(/^wss:/, 'ws:');
    expect(await runPatriotSim(['--url', url, '--api-key', API_KEY, '--wait', '3'], run.io)).toBe(1);
    expect(run.err()).toMatch(/cannot connect to ws:.*use wss:\/\/ instead of ws:\/\//);
  });

  it('runs as a program (as scripts/patriot-sim.mjs does) through a full call', async () => {
    const bridge = await startBridge();
    const result = await runSpawned([
      '--url',
      bridge.url,
      '--api-key',
      API_KEY,
      '--ca',
      certificate.certFile,
      '--dial',
      '1234',
      '--hangup-after',
      '0.1',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('call-status-update  callActive=true outbound=true callerId=1234');
    expect(result.stdout).toContain('scenario completed');
  });
});

describe("patriot-sim as Patriot's server (bridge in client mode)", () => {
  async function runListen(bridgeKey: string, extra: string[] = []) {
    const run = collect();
    const exit = runPatriotSim(['--listen', '0', '--api-key', API_KEY, ...extra], run.io);
    const [, url, fingerprint] = await waitFor(
      () => /listening {2}(wss:\S+) {2}certificate fingerprint256=(\S+)/.exec(run.out()),
      'the simulator to listen',
    );
    const handler = new FakeHandler();
    const client = new PatriotClient({
      connect: { url: url!, apiKey: bridgeKey, caFile: null, fingerprint256: fingerprint! },
      maxPayloadBytes: 65_536,
      handler,
      log: captureLog().logger,
      timings: { reconnectBaseMs: 20, reconnectCapMs: 100, authRetryMs: 60_000 },
    });
    cleanups.push(() => client.stop());
    handler.onDial = (request) =>
      client.broadcast({ callActive: true, outbound: true, callerId: request.phoneNo });
    handler.onHangup = () => client.broadcast({ callActive: false });
    await client.start();
    return { run, code: await exit, handler, client };
  }

  it('waits for the bridge, then dials and hangs up through it', async () => {
    const savedCert = path.join(tempDir, 'sim-cert.pem');
    const { run, code, handler } = await runListen(API_KEY, [
      '--dial',
      '555 0100',
      '--hangup-after',
      '0.2',
      '--save-cert',
      savedCert,
    ]);
    expect(run.err()).toBe('');
    expect(code).toBe(0);
    expect(run.out()).toContain('bridge connected');
    expect(run.out()).toContain('authentication-request  (key not shown)');
    expect(run.out()).toContain('call-status-update  callActive=true outbound=true callerId=5550100');
    expect(run.out()).toContain('scenario completed');
    expect(handler.dials[0]?.request).toEqual({ phoneNo: '5550100', rawPhoneNo: '555 0100' });
    expect(run.out()).not.toContain(API_KEY);
  });

  it('exits 1 when the bridge brings a wrong key', async () => {
    const { run, code, client } = await runListen('NOT-THE-KEY-1234');
    expect(code).toBe(1);
    expect(run.err()).toBe('patriot-sim: authentication failed: the bridge sent a wrong API key\n');
    await waitFor(() => client.view().link.status === 'auth-failed', 'the bridge to show auth-failed');
  });

  it('serves given --cert/--key files', async () => {
    const keyFile = path.join(tempDir, 'sim-key.pem');
    const certFile = path.join(tempDir, 'sim-cert-given.pem');
    const own = await ensureCertificate(path.join(tempDir, 'sim'));
    await writeFile(keyFile, own.key);
    await writeFile(certFile, own.cert);
    const { run, code } = await runListen(API_KEY, ['--cert', certFile, '--key', keyFile, '--wait', '0.5']);
    expect(code).toBe(0);
    expect(run.out()).toContain(`fingerprint256=${own.fingerprint256}`);
  });
});
