// "Save diagnostic trace": the engine's most recent log lines at debug level, whatever the log level, kept
// in memory (bounded) and written to a file in the logs folder on request. The logger has already scrubbed
// registered secrets from every line, so the file is safe to send to IT or support.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LogSink } from '../engine/log/logger';

export interface TraceOptions {
  /** Memory bound: the oldest lines go first. */
  maxBytes?: number;
  /** Trace files kept in the logs folder (the oldest are removed). */
  keepFiles?: number;
}

export interface SavedTrace {
  file: string;
  lines: number;
}

export interface DiagnosticTrace {
  /** Takes every line, debug included. */
  sink: LogSink;
  save(dir: string, now: Date): SavedTrace;
}

const PREFIX = 'diagnostic-trace-';

export function diagnosticTrace(options: TraceOptions = {}): DiagnosticTrace {
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  const keepFiles = options.keepFiles ?? 5;
  const lines: string[] = [];
  let bytes = 0;
  let head = 0; // lines before `head` are dropped (compacted now and then)

  const sink: LogSink = (line) => {
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
    while (bytes > maxBytes && head < lines.length) bytes -= Buffer.byteLength(lines[head++]!) + 1;
    if (head > 1024 && head * 2 > lines.length) {
      lines.splice(0, head);
      head = 0;
    }
  };

  const save = (dir: string, now: Date): SavedTrace => {
    const kept = lines.slice(head);
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const file = path.join(dir, `${PREFIX}${stamp}.log`);
    writeFileSync(file, kept.map((line) => `${line}\n`).join(''), { mode: 0o600 });
    const traces = readdirSync(dir)
      .filter((name) => name.startsWith(PREFIX) && name.endsWith('.log'))
      .sort();
    for (const old of traces.slice(0, Math.max(0, traces.length - keepFiles)))
      rmSync(path.join(dir, old), { force: true });
    return { file, lines: kept.length };
  };
  return { sink, save };
}
