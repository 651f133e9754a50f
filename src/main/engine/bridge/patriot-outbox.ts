import type { PatriotCallStatus } from '../../../shared/bridge-types';
import type { Logger } from '../log/logger';
import { settlesWithin } from '../pbx/common/settle';

/**
 * How long a status may wait for the call log's disk. A healthy disk takes well under a millisecond to a
 * few; a drive that stalls longer must not leave Patriot believing a call is still live.
 */
export const STATUS_WAITS_FOR_DISK_MS = 1_000;

/**
 * Call-status updates on their way to Patriot, in the order the Bridge decided them. A status decided after
 * a call-log line was recorded goes out once that line is durable, so a crash never loses the line of a
 * call Patriot already heard end. With nothing on its way to the disk a status goes out at once, in the
 * same task. A disk slower than `maxWaitMs` holds no status hostage: it goes out anyway, with a warning.
 */
export class PatriotOutbox {
  /** The newest call-log line not yet acknowledged by the disk; null when all are. */
  private unwritten: Promise<void> | null = null;
  /** The statuses waiting, as one chain; `waiting` counts them. */
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;
  private lastTold: PatriotCallStatus | null = null;

  constructor(
    private readonly send: (status: PatriotCallStatus) => void,
    private readonly log: Logger,
    private readonly maxWaitMs = STATUS_WAITS_FOR_DISK_MS,
  ) {}

  /** Statuses decided from now on wait for `written` (a call-log append: resolves once durable). */
  holdUntilWritten(written: Promise<void>): void {
    const marker: Promise<void> = written.then(() => {
      if (this.unwritten === marker) this.unwritten = null;
    });
    this.unwritten = marker;
  }

  /** Sends `status` after every line recorded so far is durable, and after the statuses queued before it. */
  push(status: PatriotCallStatus): void {
    const barrier = this.unwritten;
    if (barrier === null && this.waiting === 0) {
      this.tell(status);
      return;
    }
    this.waiting++;
    // The wait starts now, not when the status ahead has gone: on a stalled disk each waits maxWaitMs at most.
    const durable = barrier ? settlesWithin(barrier, this.maxWaitMs) : Promise.resolve(true);
    this.chain = this.chain.then(async () => {
      if (!(await durable)) {
        this.log.warn('the call log did not reach the disk in time; Patriot hears the call status anyway', {
          waitedMs: this.maxWaitMs,
        });
      }
      this.waiting--;
      try {
        this.tell(status);
      } catch (error) {
        // The endpoint promises not to throw; a bug there must not stop every later status.
        this.log.error('sending a call status to Patriot failed', { error });
      }
    });
  }

  /** What Patriot was last told (null before the first status), for its status requests. */
  get told(): PatriotCallStatus | null {
    return this.lastTold;
  }

  /** Resolves once every status pushed so far has gone out. */
  async drained(): Promise<void> {
    while (this.waiting > 0) await this.chain;
  }

  private tell(status: PatriotCallStatus): void {
    this.lastTold = status;
    this.send(status);
  }
}
