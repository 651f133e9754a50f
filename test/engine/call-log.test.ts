import { readFile, writeFile, stat, appendFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallView } from '../../src/shared/bridge-types';
import { CALL_LOG_FILE, CallLog, toCallLogEntry } from '../../src/main/engine/bridge/call-log';
import { captureLog } from '../support/log-capture';
import { makeTempDir } from '../support/temp-dir';

function endedCall(id: string, overrides: Partial<CallView> = {}): CallView {
  return {
    id,
    profileId: 'office',
    direction: 'outbound',
    phase: 'ended',
    remoteNumber: '0123',
    startedAt: Date.parse('2026-01-01T10:00:00Z'),
    connectedAt: Date.parse('2026-01-01T10:00:05Z'),
    endedAt: Date.parse('2026-01-01T10:01:05Z'),
    outcome: 'completed',
    detail: null,
    ...overrides,
  };
}

describe('call log', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it('turns a call into a log entry with duration and talk time', () => {
    expect(toCallLogEntry(endedCall('a'))).toEqual({
      id: 'a',
      profileId: 'office',
      direction: 'outbound',
      number: '0123',
      startedAt: '2026-01-01T10:00:00.000Z',
      connectedAt: '2026-01-01T10:00:05.000Z',
      endedAt: '2026-01-01T10:01:05.000Z',
      durationSec: 65,
      talkSec: 60,
      outcome: 'completed',
      detail: null,
    });
    expect(toCallLogEntry(endedCall('b', { connectedAt: null, outcome: 'busy' }))).toMatchObject({
      talkSec: 0,
      outcome: 'busy',
    });
  });

  it('appends JSON lines durably and reads them back newest first', async () => {
    const log = new CallLog(dir, 1_000_000, captureLog().logger);
    await log.append(toCallLogEntry(endedCall('a')));
    await log.append(toCallLogEntry(endedCall('b')));
    const lines = (await readFile(path.join(dir, CALL_LOG_FILE), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).id)).toEqual(['a', 'b']);
    expect((await log.recent(10)).map((e) => e.id)).toEqual(['b', 'a']);
    expect((await log.recent(1)).map((e) => e.id)).toEqual(['b']);
  });

  it('skips damaged lines instead of losing the rest', async () => {
    const log = new CallLog(dir, 1_000_000, captureLog().logger);
    await log.append(toCallLogEntry(endedCall('a')));
    await appendFile(path.join(dir, CALL_LOG_FILE), '{"id": "half-writ\nnot json\n');
    await log.append(toCallLogEntry(endedCall('c')));
    expect((await log.recent(10)).map((e) => e.id)).toEqual(['c', 'a']);
  });

  it('after a crash left a torn last line, the next entry starts on a line of its own', async () => {
    const file = path.join(dir, CALL_LOG_FILE);
    await writeFile(file, JSON.stringify(toCallLogEntry(endedCall('a'))) + '\n' + '{"id":"torn","numb');
    const captured = captureLog('debug');
    const log = new CallLog(dir, 1_000_000, captured.logger);
    await log.append(toCallLogEntry(endedCall('b')));
    await log.append(toCallLogEntry(endedCall('c')));
    expect((await log.recent(10)).map((entry) => entry.id)).toEqual(['c', 'b', 'a']);
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    expect(lines).toEqual([
      expect.stringContaining('"a"'),
      '{"id":"torn","numb',
      expect.stringContaining('"b"'),
      expect.stringContaining('"c"'),
    ]);
    expect(captured.records().filter((r) => /torn line/.test(String(r.msg)))).toHaveLength(1);
  });

  it('stays within its size bound by rotating, keeping the newest entries readable', async () => {
    const maxBytes = 20_000;
    const log = new CallLog(dir, maxBytes, captureLog().logger);
    for (let i = 0; i < 200; i++) await log.append(toCallLogEntry(endedCall(`call-${i}`)));
    const live = (await stat(path.join(dir, CALL_LOG_FILE))).size;
    const rotated = (await stat(path.join(dir, 'calls.1.jsonl'))).size;
    expect(live + rotated).toBeLessThanOrEqual(maxBytes);
    const recent = await log.recent(5);
    expect(recent.map((e) => e.id)).toEqual(['call-199', 'call-198', 'call-197', 'call-196', 'call-195']);
  });

  it('logs a write failure and keeps going', async () => {
    const captured = captureLog();
    await writeFile(path.join(dir, 'not-a-dir'), '');
    const log = new CallLog(path.join(dir, 'not-a-dir'), 1_000_000, captured.logger);
    await expect(log.append(toCallLogEntry(endedCall('a')))).resolves.toBeUndefined();
    expect(captured.records().some((r) => r.level === 'error' && String(r.msg).includes('call log'))).toBe(
      true,
    );
  });
});
