import { constants } from 'node:fs';
import { open, readFile, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { CallLogEntry, CallView } from '../../../shared/bridge-types';
import type { Logger } from '../log/logger';

export const CALL_LOG_FILE = 'calls.jsonl';
const ROTATED_FILE = 'calls.1.jsonl';

/** Entries that may wait for the disk at once; past it, new entries are dropped (with a warning). */
export const CALL_LOG_QUEUE_LIMIT = 10_000;

/**
 * How long the writer waits after the first entry of an idle spell before writing. None by default:
 * Patriot's status waits for the line, so the write starts at once; entries of the same task (calls
 * ended together) and those queued while a write is on the disk still share one write.
 */
export const CALL_LOG_COMMIT_DELAY_MS = 0;

/**
 * Where the platform has it (Linux, macOS), the file is opened O_DSYNC: each write returns once it is on
 * the disk, one system call instead of write + fdatasync. Elsewhere (Windows) every write is followed by a
 * datasync.
 */
const DSYNC: number | undefined = constants.O_DSYNC;
const OPEN_FLAGS: string | number =
  DSYNC === undefined ? 'a+' : constants.O_RDWR | constants.O_CREAT | constants.O_APPEND | DSYNC;

interface Pending {
  line: string;
  done: () => void;
}

/**
 * Every call of the operator as one JSON line in dataDir, written durably (O_DSYNC, or fdatasync) so a
 * crash loses nothing already reported. Bounded: the live file rotates into one predecessor at half of
 * `maxBytes`.
 *
 * Group commit: one writer keeps the file open; whatever queued in the same task (or commit delay) or while
 * the previous write was on the disk goes out in one durable write. `append` resolves once its line is durable
 * (or was refused).
 */
export class CallLog {
  private readonly file: string;
  private readonly rotated: string;
  private queue: Pending[] = [];
  /** The writer's current run; null while idle. */
  private writing: Promise<void> | null = null;
  private handle: FileHandle | null = null;
  /** Bytes in the live file (known once it is open). */
  private size = 0;
  /** Whether the file's end must be checked for a line torn by a crash (on every open after a failure). */
  private tailChecked = false;
  private dropped = 0;
  private currentProblem: string | null = null;
  private readonly problemListeners = new Set<(problem: string | null) => void>();

  constructor(
    dataDir: string,
    private readonly maxBytes: number,
    private readonly log: Logger,
    private readonly queueLimit = CALL_LOG_QUEUE_LIMIT,
    private readonly commitDelayMs = CALL_LOG_COMMIT_DELAY_MS,
  ) {
    this.file = path.join(dataDir, CALL_LOG_FILE);
    this.rotated = path.join(dataDir, ROTATED_FILE);
  }

  get path(): string {
    return this.file;
  }

  /** Why the call log cannot be written right now; null while it can. */
  get problem(): string | null {
    return this.currentProblem;
  }

  /** Called whenever `problem` changes (a string: writing fails; null: writing works again). */
  onProblem(listener: (problem: string | null) => void): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }

  /**
   * Appends one entry, in call order. Resolves once the line is on the disk, or when
   * it could not be written or the queue was full (both logged, and reported through `problem`). Never rejects.
   */
  append(entry: CallLogEntry): Promise<void> {
    if (this.queue.length >= this.queueLimit) {
      if (this.dropped++ === 0) {
        this.log.warn('the call log is falling behind the disk: entries are dropped', {
          file: this.file,
          queued: this.queue.length,
        });
        this.setProblem(`the disk is too slow: more than ${this.queueLimit} entries waited`);
      }
      return Promise.resolve();
    }
    const line = JSON.stringify(entry) + '\n';
    return new Promise<void>((done) => {
      this.queue.push({ line, done });
      this.writing ??= this.drain();
    });
  }

  /** Waits for pending writes. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Writes what is pending and closes the file (shutdown); a later append opens it again. */
  async close(): Promise<void> {
    await this.flush();
    await this.closeHandle();
  }

  /** Newest first; unreadable lines are skipped. */
  async recent(limit: number): Promise<CallLogEntry[]> {
    await this.flush();
    const entries: CallLogEntry[] = [];
    for (const file of [this.file, this.rotated]) {
      const lines = (await readText(file)).split('\n');
      for (let i = lines.length - 1; i >= 0 && entries.length < limit; i--) {
        const entry = parseEntry(lines[i]!);
        if (entry) entries.push(entry);
      }
      if (entries.length >= limit) break;
    }
    return entries;
  }

  /** The one writer: takes everything queued, writes it, syncs, acknowledges; until the queue is empty. */
  private async drain(): Promise<void> {
    try {
      // At least the rest of this task: entries appended together go out together.
      if (this.commitDelayMs > 0) await delay(this.commitDelayMs);
      else await Promise.resolve();
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          await this.writeBatch(batch.map((pending) => pending.line));
          if (this.dropped > 0) {
            this.log.warn('the call log caught up with the disk', { file: this.file, dropped: this.dropped });
            this.dropped = 0;
          }
          this.setProblem(null);
        } catch (error) {
          this.log.error('could not write the call log', { file: this.file, error, entries: batch.length });
          this.setProblem(error instanceof Error ? error.message : String(error));
          // The next attempt opens the file afresh and checks its end (a write may have been cut short).
          await this.closeHandle();
          this.tailChecked = false;
        }
        for (const pending of batch) pending.done();
      }
    } finally {
      this.writing = null;
    }
  }

  private async writeBatch(lines: string[]): Promise<void> {
    const half = this.maxBytes / 2;
    let chunk = '';
    let chunkBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line);
      const handle = await this.openHandle();
      if (this.size + chunkBytes > 0 && this.size + chunkBytes + bytes > half) {
        if (chunk) await this.writeDurably(handle, chunk, chunkBytes);
        chunk = '';
        chunkBytes = 0;
        // A rotation starts a fresh file, whose end needs no check.
        if (this.size > 0) await this.rotate();
      }
      chunk += line;
      chunkBytes += bytes;
    }
    if (chunk) await this.writeDurably(await this.openHandle(), chunk, chunkBytes);
  }

  private async writeDurably(handle: FileHandle, text: string, bytes: number): Promise<void> {
    const buffer = Buffer.from(text);
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
      offset += bytesWritten;
    }
    if (DSYNC === undefined) await handle.datasync();
    this.size += bytes;
  }

  private async rotate(): Promise<void> {
    await this.closeHandle();
    await rename(this.file, this.rotated);
    this.tailChecked = true;
    this.handle = await open(this.file, OPEN_FLAGS, 0o600);
    this.size = 0;
  }

  private async openHandle(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    const handle = await open(this.file, OPEN_FLAGS, 0o600);
    try {
      this.size = (await handle.stat()).size;
      // A crash mid-write can leave a last line without its newline: start on a line of our own, so
      // every entry stays independently readable (the torn one is skipped by `recent`).
      if (!this.tailChecked) {
        if (this.size > 0) {
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, this.size - 1);
          if (last[0] !== 0x0a) {
            await handle.write('\n');
            if (DSYNC === undefined) await handle.datasync();
            this.size += 1;
            this.log.warn('the call log ended in a torn line (after a crash); it is kept on its own line', {
              file: this.file,
            });
          }
        }
        this.tailChecked = true;
      }
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    this.handle = handle;
    return handle;
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }

  private setProblem(problem: string | null): void {
    if (problem === this.currentProblem) return;
    this.currentProblem = problem;
    for (const listener of this.problemListeners) {
      try {
        listener(problem);
      } catch (error) {
        this.log.error('call log listener failed', { error });
      }
    }
  }
}

export function toCallLogEntry(call: CallView): CallLogEntry {
  const endedAt = call.endedAt ?? Date.now();
  return {
    id: call.id,
    profileId: call.profileId,
    direction: call.direction,
    number: call.remoteNumber,
    startedAt: new Date(call.startedAt).toISOString(),
    connectedAt: call.connectedAt === null ? null : new Date(call.connectedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    durationSec: Math.max(0, Math.round((endedAt - call.startedAt) / 1000)),
    talkSec: call.connectedAt === null ? 0 : Math.max(0, Math.round((endedAt - call.connectedAt) / 1000)),
    outcome: call.outcome ?? 'completed',
    detail: call.detail,
    ...(call.source ? { source: call.source } : {}),
  };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

function parseEntry(line: string): CallLogEntry | null {
  if (!line.trim()) return null;
  try {
    const value = JSON.parse(line) as Partial<CallLogEntry>;
    return typeof value.id === 'string' && typeof value.endedAt === 'string' ? (value as CallLogEntry) : null;
  } catch {
    return null;
  }
}
