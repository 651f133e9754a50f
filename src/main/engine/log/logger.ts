import { defineField, redactEntry, SecretScrubber } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines also carry `fields` (e.g. `{component: 'viptel'}`). */
  child(fields: LogFields): Logger;
  /**
   * Scrub this exact value from the field values of every later line (passwords, keys, login hashes);
   * never from keys, time, level or msg. Returns the disposer for per-connection secrets.
   */
  addSecret(value: string | null | undefined): () => void;
}

/** Receives one finished JSON line (without the newline). */
export type LogSink = (line: string, level: LogLevel) => void;

export interface LoggerOptions {
  level?: LogLevel;
  sinks: LogSink[];
  now?: () => Date;
}

class JsonLineLogger implements Logger {
  constructor(
    private readonly shared: { minRank: number; sinks: LogSink[]; scrubber: SecretScrubber; now: () => Date },
    private readonly bound: LogFields,
  ) {}

  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }

  child(fields: LogFields): Logger {
    return new JsonLineLogger(this.shared, { ...this.bound, ...fields });
  }

  addSecret(value: string | null | undefined): () => void {
    return this.shared.scrubber.add(value);
  }

  private write(level: LogLevel, msg: string, fields?: LogFields): void {
    if (LEVEL_RANK[level] < this.shared.minRank) return;
    const scrubber = this.shared.scrubber;
    const scrub = scrubber.size > 0 ? (text: string) => scrubber.scrub(text) : undefined;
    // One object per line: bound fields, then the line's own (which win), each value redacted; values that
    // need no change are not copied.
    const record: LogFields = { time: this.shared.now().toISOString(), level, msg };
    copyRedacted(record, this.bound, scrub);
    if (fields) copyRedacted(record, fields, scrub);
    const line = safeStringify(record);
    for (const sink of this.shared.sinks) sink(line, level);
  }
}

function copyRedacted(
  record: LogFields,
  fields: LogFields,
  scrub: ((text: string) => string) | undefined,
): void {
  for (const key of Object.keys(fields)) defineField(record, key, redactEntry(key, fields[key], scrub));
}

function safeStringify(record: LogFields): string {
  try {
    // No replacer function: redactFields already turned Errors and bigints into plain values.
    return JSON.stringify(record);
  } catch {
    return JSON.stringify({
      time: record.time,
      level: record.level,
      msg: record.msg,
      logError: 'unserialisable fields',
    });
  }
}

export function createLogger(options: LoggerOptions): Logger {
  return new JsonLineLogger(
    {
      minRank: LEVEL_RANK[options.level ?? 'info'],
      sinks: options.sinks,
      scrubber: new SecretScrubber(),
      now: options.now ?? (() => new Date()),
    },
    {},
  );
}

/** How long log lines may wait to share one write (the headless runner's stdout). */
export const LOG_FLUSH_DELAY_MS = 25;
/** Pending lines past this many characters are written at once. */
const LOG_FLUSH_CHARS = 64 * 1024;

/**
 * Sink writing JSON lines to a stream (stdout for the headless runner). Lines are batched for up to
 * `delayMs` and written together: one write per batch instead of one per event-loop turn, so a call's few
 * lines cost one system call and log I/O never sits between a Patriot request and the PBX command it
 * causes. `flush()` writes what is pending at once (before exit; the runner flushes on every exit path).
 *
 * A stream that fails (its reader went away: `bridge | head`, a closed console; EPIPE) ends the log, never
 * the bridge: later lines are dropped and `onBroken` hears why, once.
 */
export function streamSink(
  stream: NodeJS.WritableStream,
  delayMs = LOG_FLUSH_DELAY_MS,
  onBroken?: (error: Error) => void,
): LogSink & { flush(): void } {
  let pending: string[] = [];
  let pendingChars = 0;
  let scheduled: NodeJS.Timeout | null = null;
  let broken = false;
  stream.on('error', (error: Error) => {
    if (broken) return;
    broken = true;
    pending = [];
    onBroken?.(error);
  });
  const flush = () => {
    if (scheduled) clearTimeout(scheduled);
    scheduled = null;
    if (pending.length === 0 || broken) return;
    const chunk = pending.join('\n') + '\n';
    pending = [];
    pendingChars = 0;
    stream.write(chunk);
  };
  const sink = (line: string) => {
    if (broken) return;
    pending.push(line);
    pendingChars += line.length;
    if (pendingChars >= LOG_FLUSH_CHARS) return flush();
    // Unref'd: a pending batch never keeps the process alive (exit paths flush it).
    scheduled ??= setTimeout(flush, delayMs).unref();
  };
  return Object.assign(sink, { flush });
}

/** A logger that drops everything; for code paths whose caller does not care. */
export const silentLogger: Logger = createLogger({ sinks: [] });

export function isLogLevel(value: string): value is LogLevel {
  return value in LEVEL_RANK;
}
