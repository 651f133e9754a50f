import { open, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CallLogEntry, CallView } from '../../../shared/bridge-types';
import type { Logger } from '../log/logger';

export const CALL_LOG_FILE = 'calls.jsonl';
const ROTATED_FILE = 'calls.1.jsonl';

/**
 * Every call of the operator as one JSON line in dataDir, written with fsync so a crash loses nothing
 * already reported. Bounded: the live file rotates into one predecessor at half of `maxBytes`.
 */
export class CallLog {
  private readonly file: string;
  private readonly rotated: string;
  private tail: Promise<void> = Promise.resolve();
  /** Whether the file's end was checked for a line torn by a crash (once per CallLog). */
  private tailChecked = false;

  constructor(
    dataDir: string,
    private readonly maxBytes: number,
    private readonly log: Logger,
  ) {
    this.file = path.join(dataDir, CALL_LOG_FILE);
    this.rotated = path.join(dataDir, ROTATED_FILE);
  }

  get path(): string {
    return this.file;
  }

  /** Appends one entry; writes are serialised in call order. Never rejects (failures are logged). */
  append(entry: CallLogEntry): Promise<void> {
    const line = JSON.stringify(entry) + '\n';
    this.tail = this.tail.then(() =>
      this.write(line).catch((error: unknown) => {
        this.log.error('could not write the call log', { file: this.file, error });
      }),
    );
    return this.tail;
  }

  /** Waits for pending writes (shutdown). */
  flush(): Promise<void> {
    return this.tail;
  }

  /** Newest first; unreadable lines are skipped. */
  async recent(limit: number): Promise<CallLogEntry[]> {
    await this.tail;
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

  private async write(line: string): Promise<void> {
    // (A rotation below starts a fresh file, whose end needs no check.)
    const size = await stat(this.file).then(
      (s) => s.size,
      () => 0,
    );
    if (size > 0 && size + Buffer.byteLength(line) > this.maxBytes / 2) await rename(this.file, this.rotated);
    const handle = await open(this.file, 'a+', 0o600);
    try {
      // A crash mid-write can leave a last line without its newline: start on a line of our own, so
      // every entry stays independently readable (the torn one is skipped by `recent`).
      if (!this.tailChecked) {
        this.tailChecked = true;
        const { size: now } = await handle.stat();
        if (now > 0) {
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, now - 1);
          if (last[0] !== 0x0a) {
            line = '\n' + line;
            this.log.warn('the call log ended in a torn line (after a crash); it is kept on its own line', {
              file: this.file,
            });
          }
        }
      }
      await handle.write(line);
      await handle.datasync();
    } finally {
      await handle.close();
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
