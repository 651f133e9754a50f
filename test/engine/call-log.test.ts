import { spawn } from 'node:child_process';
import { readFile, writeFile, stat, appendFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallView } from '../../src/shared/bridge-types';
import { CALL_LOG_FILE, CallLog, toCallLogEntry } from '../../src/main/engine/bridge/call-log';
import { captureLog } from '../support/log-capture';
import { makeTempDir } from '../support/temp-dir';

const WRITER = path.resolve(import.meta.dirname, '../support/call-log-writer.ts');

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
    await log.close();
  });

  it('skips damaged lines instead of losing the rest', async () => {
    const log = new CallLog(dir, 1_000_000, captureLog().logger);
    await log.append(toCallLogEntry(endedCall('a')));
    await appendFile(path.join(dir, CALL_LOG_FILE), '{"id": "half-writ\nnot json\n');
    await log.append(toCallLogEntry(endedCall('c')));
    expect((await log.recent(10)).map((e) => e.id)).toEqual(['c', 'a']);
    await log.close();
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
    await log.close();
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
    await log.close();
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

describe('call log, group commit', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it('keeps the order of entries appended without waiting, each on its own parseable line', async () => {
    const log = new CallLog(dir, 100_000_000, captureLog().logger);
    const ids = Array.from({ length: 500 }, (_, i) => `call-${i}`);
    await Promise.all(ids.map((id) => log.append(toCallLogEntry(endedCall(id)))));
    const lines = (await readFile(path.join(dir, CALL_LOG_FILE), 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(ids);
    await log.close();
  });

  it('rotates within its size bound when entries arrive in one batch', async () => {
    const maxBytes = 20_000;
    const log = new CallLog(dir, maxBytes, captureLog().logger);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => log.append(toCallLogEntry(endedCall(`call-${i}`)))),
    );
    const live = (await stat(path.join(dir, CALL_LOG_FILE))).size;
    const rotated = (await stat(path.join(dir, 'calls.1.jsonl'))).size;
    expect(live + rotated).toBeLessThanOrEqual(maxBytes);
    expect(live).toBeGreaterThan(0);
    const recent = await log.recent(3);
    expect(recent.map((e) => e.id)).toEqual(['call-199', 'call-198', 'call-197']);
    await log.close();
  });

  it('close() writes what is queued; a later append opens the file again', async () => {
    const log = new CallLog(dir, 1_000_000, captureLog().logger);
    void log.append(toCallLogEntry(endedCall('a')));
    void log.append(toCallLogEntry(endedCall('b')));
    await log.close();
    const read = async () =>
      (await readFile(path.join(dir, CALL_LOG_FILE), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(await read()).toEqual(['a', 'b']);
    await log.append(toCallLogEntry(endedCall('c')));
    expect(await read()).toEqual(['a', 'b', 'c']);
    await log.close();
  });

  it('bounds its queue: past the limit entries are dropped with one warning and a problem', async () => {
    const captured = captureLog();
    const log = new CallLog(dir, 1_000_000, captured.logger, 3);
    const problems: (string | null)[] = [];
    log.onProblem((problem) => problems.push(problem));
    // All eight arrive within the commit delay, so they wait together: the queue keeps three.
    const appends = Array.from({ length: 8 }, (_, i) => log.append(toCallLogEntry(endedCall(`c${i}`))));
    await Promise.all(appends);
    const ids = (await log.recent(100)).map((e) => e.id).reverse();
    expect(ids).toEqual(['c0', 'c1', 'c2']);
    expect(captured.records().filter((r) => /falling behind/.test(String(r.msg)))).toHaveLength(1);
    expect(problems[0]).toMatch(/too slow/);
    // Once the writer caught up, the problem is cleared again.
    expect(log.problem).toBeNull();
    expect(problems.at(-1)).toBeNull();
    await log.close();
  });

  it('reports that it cannot write, and recovers when the folder works again', async () => {
    const captured = captureLog();
    const target = path.join(dir, 'data');
    await writeFile(target, 'a file where the folder should be');
    const log = new CallLog(target, 1_000_000, captured.logger);
    const problems: (string | null)[] = [];
    log.onProblem((problem) => problems.push(problem));
    await log.append(toCallLogEntry(endedCall('a')));
    expect(log.problem).toMatch(/ENOTDIR|EEXIST|not a directory/i);
    await rm(target);
    await mkdir(target);
    await log.append(toCallLogEntry(endedCall('b')));
    expect(log.problem).toBeNull();
    expect(problems).toEqual([expect.any(String), null]);
    expect((await log.recent(10)).map((e) => e.id)).toEqual(['b']);
    await log.close();
  });

  it('a process killed with SIGKILL keeps every line it acknowledged, in order', async () => {
    const count = 20_000;
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(count)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const told: string[] = [];
    let buffer = '';
    const killed = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.startsWith('told ')) told.push(line.slice(5));
      // Killed mid-stream: many entries acknowledged, many still queued or on their way to the disk.
      if (told.length >= 300 && child.exitCode === null) child.kill('SIGKILL');
    });
    await killed;
    expect(told.length).toBeGreaterThanOrEqual(300);
    expect(told.length).toBeLessThan(count);

    const text = await readFile(path.join(dir, CALL_LOG_FILE), 'utf8');
    const lines = text.split('\n');
    const torn = lines.pop()!; // '' unless the kill cut a write short
    const ids = lines.map((line) => (JSON.parse(line) as { id: string }).id);
    // Order kept: the file holds entries 0..k-1, nothing skipped or reordered.
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => `call-${i}`));
    // Every acknowledged entry is there (acknowledgements themselves come in order).
    expect(told).toEqual(ids.slice(0, told.length));
    if (torn !== '') expect(() => JSON.parse(torn)).toThrow();

    // The next run starts on a line of its own and reads back everything.
    const log = new CallLog(dir, 1_000_000_000, captureLog().logger);
    await log.append(toCallLogEntry(endedCall('after-crash')));
    const recent = await log.recent(count + 1);
    expect(recent[0]!.id).toBe('after-crash');
    expect(recent.slice(1).map((e) => e.id)).toEqual([...ids].reverse());
    await log.close();
  });
});
