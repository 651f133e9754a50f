import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/main/engine/config/load';
import { startBridge, TEST_API_KEY, type BridgeHarness } from '../support/bridge-harness';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';

const RAW = {
  activeProfile: 'demo',
  profiles: [{ id: 'demo', name: 'Demo', type: 'simulator', ringAfterMs: 0, busyNumbers: ['*'] }],
};

describe('Bridge.reconfigure with a new data folder', () => {
  let h: BridgeHarness | null = null;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await h?.close();
    h = null;
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('carries the call history over and writes new calls there', async () => {
    h = await startBridge(RAW);
    await waitFor(() => h!.bridge.snapshot().pbx.link.status === 'online', 'PBX online');
    await h.bridge.dial('5550001', 'window');
    await waitFor(async () => (await h!.bridge.recentCalls(5)).length === 1, 'first call logged');

    const { dir: newDir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    const moved = {
      ...parseConfig({ ...RAW, patriot: { listen: { port: 0 }, apiKeys: [TEST_API_KEY] } }, 'test.json'),
      dataDir: newDir,
    };
    await h.bridge.reconfigure(moved);
    await h.bridge.dial('5550002', 'window');
    await waitFor(async () => (await h!.bridge.recentCalls(5)).length === 2, 'both calls in the log');

    const text = await readFile(path.join(newDir, 'calls.jsonl'), 'utf8');
    expect(
      text
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { number: string }).number),
    ).toEqual(['5550001', '5550002']);
    // The old file is kept (never deleted), and the endpoint now serves from the new folder.
    expect(existsSync(path.join(h.dataDir, 'calls.jsonl'))).toBe(true);
    expect(h.bridge.patriotSetup().certificateFile ?? '').toContain(newDir);
  });
});
