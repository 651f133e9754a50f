// A dial of ours is held only until its interaction shows up: back-to-back calls keep nothing behind them.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PbxCallEvent } from '../../../src/main/engine/pbx/adapter';
import { CallTracker } from '../../../src/main/engine/pbx/harmony/call-tracker';
import { harmonyProtocol } from '../../../src/main/engine/pbx/harmony/profile';
import { silentLogger } from '../../../src/main/engine/log/logger';
import { testCallId } from '../../support/adapter-dial';

const protocol = harmonyProtocol();
const e = protocol.events;
const CHANNEL = 'S.C';

function message(name: string, target: string, data: Record<string, unknown> = {}): Record<string, unknown> {
  return { messageType: 'objectEvent', name, target, data };
}

function tracker(events: PbxCallEvent[]): CallTracker {
  const t = new CallTracker({
    protocol,
    emit: (event) => events.push(event),
    newCallId: testCallId,
    release: () => undefined,
    log: silentLogger,
  });
  t.follow(CHANNEL);
  return t;
}

/** One dial of ours: sent, accepted, its outbound interaction created, then ended. */
function call(t: CallTracker, n: number, acceptedFirst: boolean) {
  const dial = t.dialSent(`call-${n}`, '5550100');
  if (acceptedFirst) t.dialAccepted(dial);
  const target = `${CHANNEL}.i${n}`;
  const outbound = { interaction: { direction: 'outbound' } };
  t.onEvent(e.interactionCreated, target, message(e.interactionCreated, target, outbound));
  if (!acceptedFirst) t.dialAccepted(dial);
  t.onEvent(e.interactionEnded, target, message(e.interactionEnded, target));
  return dial;
}

describe('Harmony call tracker, own dials', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lets go of a dial once its interaction is there (no timer per finished call)', () => {
    const events: PbxCallEvent[] = [];
    const t = tracker(events);
    for (let n = 0; n < 1_000; n++) {
      const dial = call(t, n, n % 2 === 0);
      expect(dial.timer).toBeNull();
    }
    // Nothing waits for the dial window of a call that already came and went.
    expect(vi.getTimerCount()).toBe(0);
    expect(t.live()).toEqual([]);
    expect(events.filter((event) => event.kind === 'ended')).toHaveLength(1_000);
    expect(new Set(events.map((event) => event.callId)).size).toBe(1_000);
  });

  it('still matches each interaction to its own dial when several dials wait', () => {
    const events: PbxCallEvent[] = [];
    const t = tracker(events);
    t.dialSent('first', '111');
    t.dialSent('second', '222');
    const outbound = { interaction: { direction: 'outbound' } };
    for (const target of [`${CHANNEL}.a`, `${CHANNEL}.b`])
      t.onEvent(e.interactionCreated, target, message(e.interactionCreated, target, outbound));
    expect(t.live().map((c) => [c.id, c.remoteNumber])).toEqual([
      ['first', '111'],
      ['second', '222'],
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('still reports an accepted dial whose interaction never comes, once the window is over', () => {
    const events: PbxCallEvent[] = [];
    const t = tracker(events);
    t.dialAccepted(t.dialSent('lonely', '333'));
    vi.advanceTimersByTime(protocol.calls.ownDialWindowMs);
    expect(events).toEqual([expect.objectContaining({ kind: 'ended', callId: 'lonely', outcome: 'failed' })]);
  });
});
