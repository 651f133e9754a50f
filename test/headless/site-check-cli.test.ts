import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/main/engine/bridge/data-dir-lock';
import type { CertificateTrustScope } from '../../src/main/engine/site-check/certificate-step';
import { runSiteCheckCli } from '../../src/main/headless/site-check-cli';
import { tempDirsRemovedAfterEach } from '../support/temp-dir';

const API_KEY = 'cli-site-check-key-0123456789';
const tempDir = tempDirsRemovedAfterEach();

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += String(chunk)));
  stderr.on('data', (chunk) => (err += String(chunk)));
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

async function configFile(dir: string, profile: Record<string, unknown>): Promise<string> {
  const file = path.join(dir, 'config.json');
  const config = {
    dataDir: path.join(dir, 'data'),
    patriot: { listen: { port: 0 }, apiKeys: [API_KEY] },
    activeProfile: 'p',
    profiles: [{ id: 'p', name: 'Desk', ...profile }],
  };
  await writeFile(file, JSON.stringify(config));
  return file;
}

const run = (argv: string[], io: ReturnType<typeof capture>['io'], scope: CertificateTrustScope = 'user') =>
  runSiteCheckCli(argv, io, {
    certificates: { trustScope: () => Promise.resolve(scope) },
    timeouts: { patriotMs: 5_000, pbxMs: 5_000, dialMs: 5_000 },
  });

describe('npm run site-check', () => {
  it('all good: prints each step, writes a report without the key, exits 0', async () => {
    const dir = await tempDir();
    const file = await configFile(dir, { type: 'simulator', ringAfterMs: 5, answerAfterMs: 5 });
    const report = path.join(dir, 'report.txt');
    const cli = capture();
    expect(await run(['--config', file, '--dial', '0123', '--report', report], cli.io)).toBe(0);
    expect(cli.out()).toMatch(
      /\[OK\] Bridge certificate trusted by Windows: Trusted for the current Windows user/,
    );
    expect(cli.out()).toMatch(/\[OK\] Patriot can reach the bridge: wss:\/\/127\.0\.0\.1:\d+/);
    expect(cli.out()).toMatch(/\[OK\] PBX link and login: Desk \(simulator\): online/);
    expect(cli.out()).toMatch(/\[OK\] Test dial: Call to 0123 placed and answered/);
    expect(cli.out()).toMatch(/Site check PASSED/);
    const text = await readFile(report, 'utf8');
    expect(text).toMatch(/site check: PASSED/);
    expect(text + cli.out() + cli.err()).not.toContain(API_KEY);
  });

  it('untrusted certificate: exits 1 naming the certificate', async () => {
    const dir = await tempDir();
    const cli = capture();
    const file = await configFile(dir, { type: 'simulator' });
    expect(await run(['--config', file], cli.io, 'untrusted')).toBe(1);
    expect(cli.out()).toMatch(/\[FAIL\] Bridge certificate trusted by Windows: Windows does not trust/);
    expect(cli.out()).toMatch(/Site check FAILED/);
  });

  it('PBX offline: exits 1 with the reason, and never prints the PBX password', async () => {
    const dir = await tempDir();
    const cli = capture();
    const file = await configFile(dir, {
      type: 'viptel',
      url: 'ws://127.0.0.1:9',
      username: 'op',
      password: 'viptel-secret-password',
      extension: '12',
    });
    expect(await run(['--config', file, '--dial', '0123'], cli.io)).toBe(1);
    expect(cli.out()).toMatch(/\[FAIL\] PBX link and login: Desk \(viptel\): offline — /);
    expect(cli.out()).toMatch(/\[skip\] Test dial: Not dialled: the PBX is not online/);
    expect(cli.out() + cli.err()).not.toContain('viptel-secret-password');
  });

  it('dial fails: exits 1 with the PBX outcome', async () => {
    const dir = await tempDir();
    const cli = capture();
    const file = await configFile(dir, { type: 'simulator', ringAfterMs: 5, unreachableNumbers: ['0999*'] });
    expect(await run(['--config', file, '--dial', '0999'], cli.io)).toBe(1);
    expect(cli.out()).toMatch(/\[FAIL\] Test dial: Call to 0999 placed but failed: Unreachable/);
  });

  it('a running bridge holds the data folder: exits 3 and says what to do', async () => {
    const dir = await tempDir();
    const file = await configFile(dir, { type: 'simulator' });
    await mkdir(path.join(dir, 'data'), { recursive: true });
    // The lock of another live process (our parent), as a running bridge leaves it.
    await writeFile(path.join(dir, 'data', LOCK_FILE), `${process.ppid}\n`);
    const cli = capture();
    expect(await run(['--config', file], cli.io)).toBe(3);
    expect(cli.err()).toMatch(/Another Dialler Bridge \(process \d+\) is using the data folder/);
    expect(cli.err()).toMatch(/Check this PC/);
    expect(cli.out()).toBe('');
  });

  it('usage and config errors exit 2', async () => {
    const dir = await tempDir();
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{"patriot": {"mode": "nope"}}');
    const cli = capture();
    expect(await run([], cli.io)).toBe(2);
    expect(cli.err()).toMatch(/--config <file> is required/);
    expect(await run(['--config', bad], cli.io)).toBe(2);
    expect(cli.err()).toMatch(/config error/);
  });
});
