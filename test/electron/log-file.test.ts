import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/engine/log/logger';
import { levelFilter, rotatingFileSink } from '../../src/main/electron/log-file';
import { makeTempDir } from '../support/temp-dir';

describe('log file', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir('dialler-logs-')));
  afterEach(() => cleanup());

  it('writes JSON lines with secrets already scrubbed by the engine logger', async () => {
    const sink = rotatingFileSink({ dir });
    const log = createLogger({ sinks: [sink] });
    log.addSecret('pbx-password-123');
    log.info('login', { user: 'op', password: 'pbx-password-123' });
    log.warn('failed', { reason: 'login pbx-password-123 refused' });
    const lines = (await readFile(sink.file, 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line) as { msg: string })).toMatchObject([
      { level: 'info', msg: 'login', user: 'op', password: '[redacted]' },
      { level: 'warn', msg: 'failed', reason: 'login [redacted] refused' },
    ]);
    expect(lines.join('\n')).not.toContain('pbx-password-123');
  });

  it('rotates by size and keeps a bounded number of old files', async () => {
    const sink = rotatingFileSink({ dir, maxBytes: 100, keep: 2 });
    for (let i = 0; i < 12; i++) sink(JSON.stringify({ i, pad: 'x'.repeat(30) }), 'info');
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['dialler-bridge.1.log', 'dialler-bridge.2.log', 'dialler-bridge.log']);
    const current = await readFile(path.join(dir, 'dialler-bridge.log'), 'utf8');
    expect(Buffer.byteLength(current)).toBeLessThanOrEqual(100);
    expect(current).toContain('"i":11');
  });

  it('follows the configured level at runtime', () => {
    const lines: string[] = [];
    let level: 'info' | 'debug' = 'info';
    const log = createLogger({
      level: 'debug',
      sinks: [
        levelFilter(
          (line) => lines.push(line),
          () => level,
        ),
      ],
    });
    log.debug('hidden');
    level = 'debug';
    log.debug('shown');
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['shown']);
  });
});
