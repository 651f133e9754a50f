// JSON lines into <logs>/dialler-bridge.log, rotated by size: .log → .1.log → .2.log …
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LogLevel, LogSink } from '../engine/log/logger';

export interface RotatingFileOptions {
  dir: string;
  baseName?: string;
  maxBytes?: number;
  /** Older files kept besides the current one. */
  keep?: number;
}

/** Synchronous on purpose: every line is on disk even if the app crashes right after. */
export function rotatingFileSink(options: RotatingFileOptions): LogSink & { file: string } {
  const baseName = options.baseName ?? 'dialler-bridge';
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = options.keep ?? 3;
  const file = path.join(options.dir, `${baseName}.log`);
  const older = (n: number) => path.join(options.dir, `${baseName}.${n}.log`);
  mkdirSync(options.dir, { recursive: true });
  let size = existsSync(file) ? statSync(file).size : 0;

  const rotate = (): void => {
    rmSync(older(keep), { force: true });
    for (let n = keep - 1; n >= 1; n--) if (existsSync(older(n))) renameSync(older(n), older(n + 1));
    if (keep > 0) renameSync(file, older(1));
    else rmSync(file, { force: true });
    size = 0;
  };

  const sink = (line: string): void => {
    const bytes = Buffer.byteLength(line) + 1;
    try {
      if (size > 0 && size + bytes > maxBytes) rotate();
      appendFileSync(file, `${line}\n`, { mode: 0o600 });
      size += bytes;
    } catch {
      // A full disk or a locked file must not take the bridge down; the line is lost.
    }
  };
  return Object.assign(sink, { file });
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Passes lines at or above the current level; the level can change at runtime (settings). */
export function levelFilter(sink: LogSink, level: () => LogLevel): LogSink {
  return (line, lineLevel) => {
    if (RANK[lineLevel] >= RANK[level()]) sink(line, lineLevel);
  };
}
