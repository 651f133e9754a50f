import { describe, expect, it } from 'vitest';
import { OperatorCalls } from '../../src/main/engine/bridge/operator-calls';

describe('operator call state', () => {
  it('reports a dial to Patriot only once the PBX accepted it', () => {
    const calls = new OperatorCalls();
    calls.beginDial('c1', 'office', '123', 'patriot');
    expect(calls.patriotStatus()).toEqual({ callActive: false });
    expect(calls.list()[0]).toMatchObject({ phase: 'dialing', remoteNumber: '123', source: 'patriot' });
    expect(calls.acceptDial('c1')).toBe(true);
    expect(calls.patriotStatus()).toEqual({ callActive: true, outbound: true, callerId: '123' });
  });

  it('an event of the dialled call before the accept makes it live under the same id', () => {
    const calls = new OperatorCalls();
    calls.beginDial('c1', 'office', '123', 'patriot');
    expect(
      calls.apply({ kind: 'ringing', callId: 'c1', direction: 'outbound', remoteNumber: '123' }, 'office')
        .changed,
    ).toBe(true);
    expect(calls.patriotStatus()).toEqual({ callActive: true, outbound: true, callerId: '123' });
    calls.acceptDial('c1');
    expect(calls.list()).toHaveLength(1);
  });

  it('an end before the accept finishes the dial, and the accept then finds nothing to revive', () => {
    const calls = new OperatorCalls();
    calls.beginDial('c1', 'office', '123', 'patriot');
    const { ended } = calls.apply({ kind: 'ended', callId: 'c1', outcome: 'busy' }, 'office');
    expect(ended).toMatchObject({ id: 'c1', outcome: 'busy', remoteNumber: '123' });
    expect(calls.acceptDial('c1')).toBe(false);
    expect(calls.size).toBe(0);
    expect(calls.patriotStatus()).toEqual({ callActive: false });
  });

  it('never revives an ended call from a late event', () => {
    const calls = new OperatorCalls();
    calls.apply({ kind: 'ringing', callId: 'a', direction: 'inbound', remoteNumber: '555' }, 'p');
    calls.apply({ kind: 'ended', callId: 'a', outcome: 'no-answer' }, 'p');
    expect(
      calls.apply({ kind: 'connected', callId: 'a', direction: 'inbound', remoteNumber: '555' }, 'p').changed,
    ).toBe(false);
    expect(calls.size).toBe(0);
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

  it('ignores an end of an unknown call, and a late ringing after connect', () => {
    const calls = new OperatorCalls();
    expect(calls.apply({ kind: 'ended', callId: 'x', outcome: 'busy' }, 'p').changed).toBe(false);
    calls.apply({ kind: 'connected', callId: 'a', direction: 'outbound', remoteNumber: '1' }, 'p');
    calls.apply({ kind: 'ringing', callId: 'a', direction: 'outbound', remoteNumber: '1' }, 'p');
    expect(calls.list()[0]?.phase).toBe('connected');
  });

  it('ends every live call at once', () => {
    const calls = new OperatorCalls();
    calls.apply({ kind: 'ringing', callId: 'a', direction: 'inbound', remoteNumber: '1' }, 'p');
    calls.beginDial('c1', 'p', '2', 'window');
    const ended = calls.endAll('link-lost', 'PBX offline');
    expect(ended.map((c) => c.outcome)).toEqual(['link-lost', 'link-lost']);
    expect(calls.size).toBe(0);
  });
});
