import { writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SiteCheckStep } from '../../src/shared/site-check';
import { Bridge } from '../../src/main/engine/bridge/bridge';
import { parseConfig } from '../../src/main/engine/config/load';
import { createPatriotEndpoint } from '../../src/main/engine/patriot/create-endpoint';
import { DesktopApiServerSim } from '../../src/main/engine/patriot/simulator';
import { createAdapter } from '../../src/main/engine/pbx/registry';
import type { CertificateTrustScope } from '../../src/main/engine/site-check/certificate-step';
import { runSiteCheck, type SiteCheckDeps } from '../../src/main/engine/site-check/run-site-check';
import { generateCertificate } from '../../src/main/engine/tls/certificate';
import { startBridge, TEST_API_KEY, type BridgeHarness } from '../support/bridge-harness';
import { captureLog } from '../support/log-capture';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';

const PBX_PASSWORD = 'pbx-password-never-shown';
const simulator = (extra: Record<string, unknown> = {}) => ({
  activeProfile: 'sim',
  profiles: [{ id: 'sim', name: 'Desk sim', type: 'simulator', ringAfterMs: 5, answerAfterMs: 5, ...extra }],
});

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function bridgeWith(raw: Record<string, unknown>): Promise<BridgeHarness> {
  const harness = await startBridge(raw);
  cleanups.push(() => harness.close());
  return harness;
}

function deps(
  bridge: SiteCheckDeps['bridge'],
  scope: CertificateTrustScope,
  extra: Partial<SiteCheckDeps> = {},
): SiteCheckDeps {
  return {
    bridge,
    certificates: { trustScope: () => Promise.resolve(scope) },
    apiKey: () => Promise.resolve(TEST_API_KEY),
    secrets: () => Promise.resolve([TEST_API_KEY, PBX_PASSWORD]),
    timeouts: { patriotMs: 5_000, pbxMs: 5_000, dialMs: 5_000 },
    ...extra,
  };
}

const statuses = (steps: SiteCheckStep[]) => Object.fromEntries(steps.map((s) => [s.id, s.status]));

describe('site check against a running bridge (real sockets on 127.0.0.1)', () => {
  it('all good: every step passes, progress runs step by step, the report holds no secret', async () => {
    const { bridge } = await bridgeWith(simulator());
    const progress: string[] = [];
    const report = await runSiteCheck(deps(bridge, 'user'), { dialNumber: '0123456' }, (steps) => {
      const current = steps.find((s) => s.status === 'running');
      if (current) progress.push(current.id);
    });
    expect(report.passed).toBe(true);
    expect(statuses(report.steps)).toEqual({
      certificate: 'passed',
      patriot: 'passed',
      pbx: 'passed',
      'test-dial': 'passed',
    });
    expect(progress).toEqual(['certificate', 'patriot', 'pbx', 'test-dial']);
    expect(report.steps[0]!.detail).toMatch(/current Windows user/);
    expect(report.steps[1]!.detail).toMatch(/API key accepted/);
    expect(report.steps[3]!.detail).toMatch(/0123456 placed and answered/);
    expect(report.text).toMatch(/site check: PASSED/);
    expect(report.text).not.toContain(TEST_API_KEY);
    // The test call went through the normal dial path: it is in the call log with its source.
    await bridge.hangup('test');
    const [logged] = await bridge.recentCalls(1);
    expect(logged).toMatchObject({ number: '0123456', source: 'site-check' });
  });

  it('untrusted certificate: the certificate step fails and Patriot is refused at TLS as it would be', async () => {
    const { bridge } = await bridgeWith(simulator());
    const report = await runSiteCheck(deps(bridge, 'untrusted'));
    expect(report.passed).toBe(false);
    expect(statuses(report.steps)).toMatchObject({ certificate: 'failed', patriot: 'failed', pbx: 'passed' });
    expect(report.steps[0]!.detail).toMatch(/Windows does not trust the bridge certificate/);
    expect(report.steps[1]!.detail).toMatch(/certificate is not trusted/);
    expect(report.steps[3]).toMatchObject({ status: 'skipped', detail: 'No number given.' });
  });

  it('machine-wide trust is named; off Windows the certificate step is not applicable, not a failure', async () => {
    const { bridge } = await bridgeWith(simulator());
    const machine = await runSiteCheck(deps(bridge, 'machine'));
    expect(machine.steps[0]!.detail).toMatch(/all users of this PC/);
    const linux = await runSiteCheck(deps(bridge, 'not-applicable'));
    expect(linux.steps[0]!.status).toBe('not-applicable');
    expect(linux.passed).toBe(true);
  });

  it('wrong key: the bridge refuses the key Patriot was given, and the report never shows it', async () => {
    const { bridge } = await bridgeWith(simulator());
    const stale = 'stale-key-given-to-patriot-earlier';
    const report = await runSiteCheck(
      deps(bridge, 'user', {
        apiKey: () => Promise.resolve(stale),
        secrets: () => Promise.resolve([TEST_API_KEY, stale]),
      }),
    );
    expect(statuses(report.steps)).toMatchObject({ patriot: 'failed', pbx: 'passed' });
    expect(report.steps[1]!.detail).toMatch(/refused the API key/);
    expect(report.text).not.toContain(stale);
    expect(report.text).not.toContain(TEST_API_KEY);
  });

  it('PBX offline: the PBX step fails with the reason and the test dial is not attempted', async () => {
    const port = await closedPort();
    const { bridge } = await bridgeWith({
      activeProfile: 'office',
      profiles: [
        {
          id: 'office',
          name: 'Office',
          type: 'viptel',
          url: `ws://127.0.0.1:${port}`,
          username: 'operator',
          password: PBX_PASSWORD,
          extension: '12',
        },
      ],
    });
    const report = await runSiteCheck(deps(bridge, 'user'), { dialNumber: '0123' });
    expect(statuses(report.steps)).toMatchObject({
      patriot: 'passed',
      pbx: 'failed',
      'test-dial': 'skipped',
    });
    expect(report.steps[2]!.detail).toMatch(/^Office \(viptel\): offline — /);
    expect(report.text).not.toContain(PBX_PASSWORD);
  });

  it('dial fails: the PBX refuses the test call and the reason is reported', async () => {
    const { bridge } = await bridgeWith(simulator({ busyNumbers: ['0900*'] }));
    const report = await runSiteCheck(deps(bridge, 'user'), { dialNumber: '0900111' });
    expect(report.passed).toBe(false);
    expect(report.steps[3]).toMatchObject({ status: 'failed' });
    expect(report.steps[3]!.detail).toMatch(/0900111 placed but failed: Busy/);
  });

  it('a test call nobody answers is hung up; a second check while it rings does not dial over it', async () => {
    const { bridge } = await bridgeWith(simulator({ answerAfterMs: 600_000 }));
    await waitFor(() => bridge.snapshot().pbx.link.status === 'online', 'PBX online');
    expect(await bridge.dial('0777', 'window')).toEqual({ ok: true });
    const busy = await runSiteCheck(deps(bridge, 'user'), { dialNumber: '0123' });
    expect(busy.steps[3]).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/call is in progress/),
    });
    await bridge.hangup('test');

    const unanswered = await runSiteCheck(deps(bridge, 'user', { timeouts: { dialMs: 300 } }), {
      dialNumber: '0123',
    });
    expect(unanswered.steps[3]).toMatchObject({ status: 'failed' });
    expect(unanswered.steps[3]!.detail).toMatch(/placed but not answered within 300 ms .*hung up/);
    expect(bridge.snapshot().calls).toEqual([]);
  });

  it('dial refused by the dial rules: not placed, with the rule as the reason', async () => {
    const { bridge } = await bridgeWith(simulator({ dialRules: { blockedPatterns: ['0900*'] } }));
    const report = await runSiteCheck(deps(bridge, 'user'), { dialNumber: '0900111' });
    expect(report.steps[3]!.status).toBe('failed');
    expect(report.steps[3]!.detail).toMatch(/was not placed: .*0900/);
  });
});

describe('site check in Patriot client mode', () => {
  async function clientBridge(patriotKey: string, bridgeKey: string) {
    const { cert, key } = await generateCertificate({});
    const patriot = new DesktopApiServerSim({ apiKey: patriotKey, cert, key });
    await patriot.listen();
    cleanups.push(() => patriot.close());
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    await writeFile(`${dir}/patriot-cert.pem`, cert);
    const config = parseConfig(
      {
        patriot: {
          mode: 'client',
          connect: { url: patriot.url, apiKey: bridgeKey, caFile: `${dir}/patriot-cert.pem` },
        },
        ...simulator(),
      },
      'client.json',
    );
    const bridge = new Bridge(
      { ...config, dataDir: dir },
      { log: captureLog('debug').logger, createEndpoint: createPatriotEndpoint, createAdapter },
    );
    await bridge.start();
    cleanups.push(() => bridge.stop());
    return bridge;
  }

  it('Patriot accepted the bridge: passes, and the certificate step says it does not apply', async () => {
    const bridge = await clientBridge('patriot-websocket-key', 'patriot-websocket-key');
    const report = await runSiteCheck(deps(bridge, 'untrusted'));
    expect(statuses(report.steps)).toMatchObject({ certificate: 'not-applicable', patriot: 'passed' });
    expect(report.steps[0]!.detail).toMatch(/client mode/);
    expect(report.passed).toBe(true);
  });

  it("wrong key: Patriot refused the bridge's key, and the step says where to enter Patriot's key", async () => {
    const bridge = await clientBridge('patriot-websocket-key', 'not-the-patriot-key');
    const report = await runSiteCheck(
      deps(bridge, 'not-applicable', { secrets: () => Promise.resolve(['not-the-patriot-key']) }),
    );
    expect(report.steps[1]!.status).toBe('failed');
    expect(report.steps[1]!.detail).toMatch(/refused the bridge: .*WebSocketApiKey/);
    expect(report.text).not.toContain('not-the-patriot-key');
  });
});

describe('site check report', () => {
  it('scrubs a secret even when a step detail echoes it (a PBX reason quoting the password)', async () => {
    const { bridge } = await bridgeWith(simulator());
    const leaky = {
      ...bridge,
      snapshot: () => {
        const real = bridge.snapshot();
        const link = { status: 'auth-failed' as const, reason: `login "operator:${PBX_PASSWORD}" refused` };
        return { ...real, pbx: { ...real.pbx, link } };
      },
      subscribe: bridge.subscribe.bind(bridge),
      patriotSetup: bridge.patriotSetup.bind(bridge),
      dial: bridge.dial.bind(bridge),
      hangup: bridge.hangup.bind(bridge),
    };
    const report = await runSiteCheck(deps(leaky, 'user'));
    expect(report.steps[2]).toMatchObject({ status: 'failed' });
    expect(report.steps[2]!.detail).toContain('login failed — login "operator:[redacted]" refused');
    expect(report.text).toContain('[redacted]');
    expect(report.text).not.toContain(PBX_PASSWORD);
    expect(JSON.stringify(report.steps)).not.toContain(PBX_PASSWORD);
  });
});

describe('site check when nothing answers', () => {
  it('an endpoint that accepts TCP but never answers fails the Patriot step with "no answer"', async () => {
    const { bridge } = await bridgeWith(simulator());
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const { port } = silent.address() as { port: number };
    const url = `wss://127.0.0.1:${port}/ws/dialler/v1`;
    const elsewhere = {
      snapshot: () => bridge.snapshot(),
      subscribe: bridge.subscribe.bind(bridge),
      patriotSetup: () => ({ ...bridge.patriotSetup(), url }),
      dial: bridge.dial.bind(bridge),
      hangup: bridge.hangup.bind(bridge),
    };
    const report = await runSiteCheck(deps(elsewhere, 'user', { timeouts: { patriotMs: 300 } }));
    expect(report.steps[1]).toMatchObject({ status: 'failed', detail: `${url}: no answer within 300 ms` });
  });
});
