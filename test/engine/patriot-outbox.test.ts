import { describe, expect, it, vi } from 'vitest';
import type { PatriotCallStatus } from '../../src/shared/bridge-types';
import { PatriotOutbox } from '../../src/main/engine/bridge/patriot-outbox';
import { captureLog } from '../support/log-capture';

const LIVE: PatriotCallStatus = { callActive: true, outbound: true, callerId: '100' };
const IDLE: PatriotCallStatus = { callActive: false };

function outbox(maxWaitMs?: number) {
  const sent: PatriotCallStatus[] = [];
  const log = captureLog();
  const box = new PatriotOutbox((status) => sent.push(status), log.logger, maxWaitMs);
  return { box, sent, log };
}

/** A call-log append the test acknowledges by hand. */
function pendingWrite(): { written: Promise<void>; acknowledge: () => void } {
  let acknowledge = () => {};
  const written = new Promise<void>((resolve) => (acknowledge = resolve));
  return { written, acknowledge };
}

describe('Patriot outbox: statuses wait for the call log', () => {
  it('sends at once, in the same task, while nothing is on its way to the disk', () => {
    const { box, sent } = outbox();
    box.push(LIVE);
    expect(sent).toEqual([LIVE]);
    expect(box.told).toEqual(LIVE);
  });

  it('holds a status until the line recorded before it is durable, then sends it', async () => {
    const { box, sent } = outbox();
    box.push(LIVE);
    const write = pendingWrite();
    box.holdUntilWritten(write.written);
    box.push(IDLE);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([LIVE]);
    expect(box.told, 'a status request meanwhile hears what Patriot was told').toEqual(LIVE);
    write.acknowledge();
    await box.drained();
    expect(sent).toEqual([LIVE, IDLE]);
  });

  it('keeps the order: a status decided later never overtakes one that waits', async () => {
    const { box, sent } = outbox();
    const first = pendingWrite();
    box.holdUntilWritten(first.written);
    box.push(IDLE);
    const second = pendingWrite();
    box.holdUntilWritten(second.written);
    box.push(LIVE);
    // The second line reaches the disk first; the statuses still go out as decided.
    second.acknowledge();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([]);
    first.acknowledge();
    await box.drained();
    expect(sent).toEqual([IDLE, LIVE]);
    // Once everything is written, a status goes out synchronously again.
    box.push(IDLE);
    expect(sent).toEqual([IDLE, LIVE, IDLE]);
  });

  it('a disk that stalls does not hold the status hostage: it goes out after maxWaitMs, with a warning', async () => {
    const { box, sent, log } = outbox(20);
    box.holdUntilWritten(new Promise<void>(() => undefined));
    box.push(IDLE);
    expect(sent).toEqual([]);
    await box.drained();
    expect(sent).toEqual([IDLE]);
    expect(log.records()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: expect.stringContaining('did not reach the disk in time'),
      }),
    );
  });

  it('on a stalled disk every waiting status goes out maxWaitMs after it was decided, not one wait after another', async () => {
    vi.useFakeTimers();
    try {
      const { box, sent } = outbox(1_000);
      box.holdUntilWritten(new Promise<void>(() => undefined));
      box.push(LIVE);
      box.push(IDLE);
      box.push(LIVE);
      await vi.advanceTimersByTimeAsync(999);
      expect(sent, 'nothing before the wait is over').toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent).toEqual([LIVE, IDLE, LIVE]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a throwing sender does not stop later statuses', async () => {
    const log = captureLog();
    const sent: PatriotCallStatus[] = [];
    let fail = true;
    const box = new PatriotOutbox((status) => {
      if (fail) {
        fail = false;
        throw new Error('endpoint bug');
      }
      sent.push(status);
    }, log.logger);
    const write = pendingWrite();
    box.holdUntilWritten(write.written);
    box.push(LIVE);
    box.push(IDLE);
    write.acknowledge();
    await box.drained();
    expect(sent).toEqual([IDLE]);
    expect(log.records()).toContainEqual(expect.objectContaining({ level: 'error' }));
  });
});
