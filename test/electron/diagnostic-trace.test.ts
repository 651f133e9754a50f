import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnosticTrace } from '../../src/main/electron/diagnostic-trace';
import { levelFilter } from '../../src/main/electron/log-file';
import { createLogger } from '../../src/main/engine/log/logger';
import { makeTempDir } from '../support/temp-dir';

const AT = new Date('2026-12-02T17:05:00.123Z');

describe('diagnostic trace', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir('dialler-trace-')));
  afterEach(() => cleanup());

  it('keeps debug lines even when the log file is at info, secrets scrubbed, and saves them', async () => {
    const trace = diagnosticTrace();
    const fileLines: string[] = [];
    const log = createLogger({
      level: 'debug',
      sinks: [
        levelFilter(
          (line) => fileLines.push(line),
          () => 'info',
        ),
        trace.sink,
      ],
    });
    log.addSecret('agent-pa55');
    log.debug('harmony: unrecognised message', { frame: '{"password":"agent-pa55","x":1}' });
    log.info('connected');

    const saved = trace.save(dir, AT);
    expect(saved).toEqual({
      file: path.join(dir, 'diagnostic-trace-2026-12-02T17-05-00-123Z.log'),
      lines: 2,
    });
    const text = await readFile(saved.file, 'utf8');
    const records = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((record) => [record.level, record.msg])).toEqual([
      ['debug', 'harmony: unrecognised message'],
      ['info', 'connected'],
    ]);
    expect(text).not.toContain('agent-pa55');
    expect(fileLines).toHaveLength(1); // the log file itself stayed at info
    if (process.platform !== 'win32') expect((await stat(saved.file)).mode & 0o777).toBe(0o600);
  });

  it('is bounded in size: the oldest lines go first', async () => {
    const trace = diagnosticTrace({ maxBytes: 100 });
    for (let n = 0; n < 50; n++) trace.sink(`line ${String(n).padStart(3, '0')}`, 'debug');
    const { file, lines } = trace.save(dir, AT);
    const text = await readFile(file, 'utf8');
    expect(text.length).toBeLessThanOrEqual(100);
    expect(lines).toBe(11); // 8 characters and a newline each
    expect(text.trim().split('\n')[0]).toBe('line 039');
    expect(text.trim().split('\n').at(-1)).toBe('line 049');
    expect(text).not.toContain('line 038');
  });

  it('keeps only the newest trace files', async () => {
    const trace = diagnosticTrace({ keepFiles: 2 });
    for (const minute of [1, 2, 3]) trace.save(dir, new Date(Date.UTC(2026, 11, 2, 17, minute)));
    expect((await readdir(dir)).sort()).toEqual([
      'diagnostic-trace-2026-12-02T17-02-00-000Z.log',
      'diagnostic-trace-2026-12-02T17-03-00-000Z.log',
    ]);
  });

  it('throws when the folder cannot be written (the service turns it into a message)', () => {
    expect(() => diagnosticTrace().save(path.join(dir, 'missing'), AT)).toThrow();
  });
});
