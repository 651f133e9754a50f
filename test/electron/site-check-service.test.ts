import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SiteCheckStep } from '../../src/shared/site-check';
import { SiteCheckService } from '../../src/main/electron/site-check-service';
import { startBridge, TEST_API_KEY, type BridgeHarness } from '../support/bridge-harness';
import { captureLog } from '../support/log-capture';
import { tempDirsRemovedAfterEach } from '../support/temp-dir';

const PASSWORD = 'saved-pbx-password';
const tempDir = tempDirsRemovedAfterEach();
let harness: BridgeHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function service() {
  harness = await startBridge({
    activeProfile: 'sim',
    profiles: [{ id: 'sim', name: 'Sim', type: 'simulator', ringAfterMs: 5, answerAfterMs: 5 }],
  });
  const logsDir = path.join(await tempDir(), 'logs');
  const clipboard: string[] = [];
  const progress: SiteCheckStep[][] = [];
  const siteCheck = new SiteCheckService({
    bridge: harness.bridge,
    certificates: { trustScope: () => Promise.resolve('user') },
    settings: {
      apiKey: () => Promise.resolve(TEST_API_KEY),
      loadConfig: () => Promise.resolve({ config: { profiles: [{ password: PASSWORD }] } }),
    },
    clipboard: { writeText: (text) => clipboard.push(text) },
    logsDir,
    about: ['Dialler Bridge 0.1.0 on test'],
    log: captureLog().logger,
    progress: (steps) => progress.push(steps),
    timeouts: { pbxMs: 5_000, patriotMs: 5_000, dialMs: 5_000 },
  });
  return { siteCheck, logsDir, clipboard, progress };
}

describe('site check in the main process', () => {
  it('runs against the running bridge, pushing progress, then copies and saves the same report', async () => {
    const { siteCheck, logsDir, clipboard, progress } = await service();
    await expect(siteCheck.copy()).resolves.toEqual({ ok: false, message: 'Run the check first.' });
    const report = await siteCheck.run({ dialNumber: null });
    expect(report.passed).toBe(true);
    expect(progress.at(-1)!.map((s) => s.status)).toEqual(['passed', 'passed', 'passed', 'skipped']);
    expect(progress[0]![0]!.status).toBe('running');

    await expect(siteCheck.copy()).resolves.toEqual({ ok: true });
    expect(clipboard).toEqual([report.text]);
    const saved = await siteCheck.save();
    expect(saved.ok && path.dirname(saved.file)).toBe(logsDir);
    expect(await readdir(logsDir)).toEqual([expect.stringMatching(/^site-check-.*\.txt$/)]);
    const text = await readFile(saved.ok ? saved.file : '', 'utf8');
    expect(text).toBe(report.text);
    expect(text).toContain('Dialler Bridge 0.1.0 on test');
    expect(text).not.toContain(TEST_API_KEY);
    expect(text).not.toContain(PASSWORD);
  });

  it('a second request while one runs shares the running check', async () => {
    const { siteCheck } = await service();
    const [first, second] = await Promise.all([
      siteCheck.run({ dialNumber: null }),
      siteCheck.run({ dialNumber: '0123' }),
    ]);
    expect(second).toBe(first);
  });
});
