// Ordering guarantees of the call tracker that sockets cannot pin down deterministically.
import { afterEach, describe, expect, it } from 'vitest';
import type { PbxCallEvent } from '../../../src/main/engine/pbx/adapter';
import { CallTracker } from '../../../src/main/engine/pbx/innovaphone/call-tracker';
import { readCallInfo } from '../../../src/main/engine/pbx/innovaphone/wire';
import { silentLogger } from '../../../src/main/engine/log/logger';

const trackers: CallTracker[] = [];
afterEach(() => {
  for (const tracker of trackers.splice(0)) tracker.dispose('link-lost', 'test over');
});

function tracker(): { calls: CallTracker; events: PbxCallEvent[] } {
  const events: PbxCallEvent[] = [];
  const calls = new CallTracker({
    emit: (event) => events.push(event),
    newCallId: () => `inbound${events.length}`,
    log: silentLogger,
    progressTimeoutMs: 60_000,
  });
  trackers.push(calls);
  return { calls, events };
}

const callInfo = (fields: Record<string, unknown>) => readCallInfo({ mt: 'CallInfo', user: 1, ...fields })!;

describe('innovaphone call tracker', () => {
  it('holds CallInfo that came before UserCallResult, then reports it under the Bridge id of the dial', () => {
    const { calls, events } = tracker();
    calls.dialStarted();
    calls.onCallInfo(callInfo({ call: 9, state: 0x81, msg: 'x-setup', peer: { e164: '200' } }));
    calls.onCallInfo(callInfo({ call: 9, state: 4, msg: 'r-alert', peer: { e164: '200' } }));
    expect(events).toEqual([]);

    calls.dialAccepted(9, '200', 'bridge1');
    expect(events).toEqual([
      { kind: 'ringing', callId: 'bridge1', direction: 'outbound', remoteNumber: '200' },
    ]);
  });

  it('reports an end that came before UserCallResult under the Bridge id, once', () => {
    const { calls, events } = tracker();
    calls.dialStarted();
    calls.onCallInfo(callInfo({ call: 9, state: 4, msg: 'r-alert', peer: { e164: '200' } }));
    calls.onCallInfo(callInfo({ call: 9, state: 135, msg: 'r-rel', cause: { type: 'busy' } }));
    calls.dialAccepted(9, '200', 'bridge1');
    expect(events.map((event) => [event.kind, event.callId])).toEqual([
      ['ringing', 'bridge1'],
      ['ended', 'bridge1'],
    ]);
  });

  it('reports a call that was not ours once the pending dial failed', () => {
    const { calls, events } = tracker();
    calls.dialStarted();
    calls.onCallInfo(callInfo({ call: 4, state: 132, msg: 'x-alert', peer: { e164: '555' } }));
    expect(events).toEqual([]);
    calls.dialSettled();
    expect(events).toEqual([
      expect.objectContaining({ kind: 'ringing', direction: 'inbound', remoteNumber: '555' }),
    ]);
  });

  it('keeps an ending call until its end marker, so a late CallInfo does not bring it back', () => {
    const { calls, events } = tracker();
    calls.onCallInfo(callInfo({ call: 4, state: 132, msg: 'x-alert', peer: { e164: '555' } }));
    calls.onCallInfo(callInfo({ call: 4, state: 135, msg: 'r-rel' }));
    calls.onCallInfo(callInfo({ call: 4, state: 135, msg: 'update' }));
    calls.onCallInfo(callInfo({ call: 4, msg: 'del', del: true }));
    expect(events.map((event) => event.kind)).toEqual(['ringing', 'ended']);
  });
});
