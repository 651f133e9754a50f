import { describe, expect, it } from 'vitest';
import { OperatorCalls } from '../../src/main/engine/bridge/operator-calls';

describe('operator call state', () => {
  it('reports a dial to Patriot only once the PBX accepted it', () => {
    const calls = new OperatorCalls();
    calls.beginDial('dial-1', 'office', '123');
    expect(calls.patriotStatus()).toEqual({ callActive: false });
    expect(calls.list()[0]).toMatchObject({ phase: 'dialing', remoteNumber: '123' });
    calls.acceptDial('dial-1', 'pbx-1');
    expect(calls.patriotStatus()).toEqual({ callActive: true, outbound: true, callerId: '123' });
  });

  it('merges a call the adapter reported before the dial was accepted', () => {
    const calls = new OperatorCalls();
    calls.beginDial('dial-1', 'office', '123');
    calls.apply({ kind: 'ringing', callId: 'pbx-1', direction: 'inbound', remoteNumber: null }, 'office');
    calls.acceptDial('dial-1', 'pbx-1');
    expect(calls.list()).toHaveLength(1);
    expect(calls.patriotStatus()).toEqual({ callActive: true, outbound: true, callerId: '123' });
  });

  it('reports inbound calls with the caller number, and the newest call when several are live', () => {
    const calls = new OperatorCalls();
    calls.apply({ kind: 'ringing', callId: 'a', direction: 'inbound', remoteNumber: '555' }, 'p');
    expect(calls.patriotStatus()).toEqual({ callActive: true, outbound: false, callerId: '555' });
    calls.apply({ kind: 'connected', callId: 'b', direction: 'outbound', remoteNumber: '777' }, 'p');
    expect(calls.patriotStatus()).toEqual({ callActive: true, outbound: true, callerId: '777' });
    calls.apply({ kind: 'ended', callId: 'b', outcome: 'completed' }, 'p');
    expect(calls.patriotStatus()).toEqual({ callActive: true, outbound: false, callerId: '555' });
  });

  it('returns the ended call with its outcome, times and detail', () => {
    let now = 1_000;
    const calls = new OperatorCalls(() => now);
    calls.apply({ kind: 'ringing', callId: 'a', direction: 'outbound', remoteNumber: '1' }, 'p');
    now = 3_000;
    calls.apply({ kind: 'connected', callId: 'a', direction: 'outbound', remoteNumber: '1' }, 'p');
    now = 9_000;
    const { ended } = calls.apply(
      { kind: 'ended', callId: 'a', outcome: 'completed', detail: 'answer' },
      'p',
    );
    expect(ended).toMatchObject({
      phase: 'ended',
      startedAt: 1_000,
      connectedAt: 3_000,
      endedAt: 9_000,
      detail: 'answer',
    });
    expect(calls.patriotStatus()).toEqual({ callActive: false });
  });

  it('ignores events for unknown calls ending, and a late ringing after connect', () => {
    const calls = new OperatorCalls();
    expect(calls.apply({ kind: 'ended', callId: 'x', outcome: 'busy' }, 'p').changed).toBe(false);
    calls.apply({ kind: 'connected', callId: 'a', direction: 'outbound', remoteNumber: '1' }, 'p');
    calls.apply({ kind: 'ringing', callId: 'a', direction: 'outbound', remoteNumber: '1' }, 'p');
    expect(calls.list()[0]?.phase).toBe('connected');
  });

  it('ends every live call at once', () => {
    const calls = new OperatorCalls();
    calls.apply({ kind: 'ringing', callId: 'a', direction: 'inbound', remoteNumber: '1' }, 'p');
    calls.beginDial('dial-1', 'p', '2');
    const ended = calls.endAll('link-lost', 'PBX offline');
    expect(ended.map((c) => c.outcome)).toEqual(['link-lost', 'link-lost']);
    expect(calls.size).toBe(0);
  });
});
