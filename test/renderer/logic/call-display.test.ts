import { describe, expect, it } from 'vitest';
import type { CallView } from '../../../src/shared/bridge-types';
import { describeCall, ENDED_HOLD_MS, findEndedCalls } from '../../../src/renderer/logic/call-display';

const NOW = 10_000_000;

function call(overrides: Partial<CallView> = {}): CallView {
  return {
    id: 'c1',
    profileId: 'office',
    direction: 'outbound',
    phase: 'dialing',
    remoteNumber: '0123456789',
    startedAt: NOW - 2_000,
    connectedAt: null,
    endedAt: null,
    outcome: null,
    detail: null,
    ...overrides,
  };
}

describe('describeCall', () => {
  it('shows "No call" when nothing happens', () => {
    const display = describeCall([], null, NOW);
    expect(display).toMatchObject({ phase: 'idle', label: 'No call', canHangUp: false, number: null });
  });

  it('shows a dialing call with its number and direction, and allows hanging up', () => {
    expect(describeCall([call()], null, NOW)).toMatchObject({
      phase: 'dialing',
      tone: 'busy',
      label: 'Dialing…',
      number: '0123456789',
      direction: 'Outgoing',
      talkSeconds: null,
      canHangUp: true,
    });
  });

  it('counts talk time from the moment the call connected', () => {
    const display = describeCall([call({ phase: 'connected', connectedAt: NOW - 65_400 })], null, NOW);
    expect(display).toMatchObject({ label: 'Connected', tone: 'ok', talkSeconds: 65 });
  });

  it('shows the newest live call first and counts the others', () => {
    const display = describeCall(
      [call({ id: 'new', direction: 'inbound', phase: 'ringing', remoteNumber: '555' }), call({ id: 'old' })],
      null,
      NOW,
    );
    expect(display).toMatchObject({
      number: '555',
      direction: 'Incoming',
      label: 'Ringing',
      otherLiveCalls: 1,
    });
  });

  it('explains why an ended call failed, in the PBX’s words', () => {
    const ended = call({ phase: 'ended', endedAt: NOW, outcome: 'busy', detail: 'User busy (486)' });
    expect(describeCall([ended], null, NOW)).toMatchObject({
      label: 'Call ended',
      tone: 'warn',
      endReason: 'Busy: User busy (486)',
      canHangUp: false,
    });
    expect(describeCall([{ ...ended, detail: 'busy' }], null, NOW).endReason).toBe('Busy');
    expect(describeCall([{ ...ended, outcome: 'completed', detail: null }], null, NOW)).toMatchObject({
      tone: 'idle',
      endReason: 'Completed',
    });
  });

  it('keeps a call that left the snapshot on the card for a while, then goes back to "No call"', () => {
    const gone = call({ phase: 'ended', connectedAt: NOW - 30_000, endedAt: NOW });
    const display = describeCall([], gone, NOW + 1_000);
    expect(display).toMatchObject({ label: 'Call ended', talkSeconds: 30, endReason: null });
    expect(describeCall([], gone, NOW + ENDED_HOLD_MS).phase).toBe('idle');
  });

  it('prefers a live call over one that just ended', () => {
    const gone = call({ id: 'old', phase: 'ended', endedAt: NOW });
    expect(describeCall([call({ id: 'next', remoteNumber: '999' })], gone, NOW).number).toBe('999');
  });
});

describe('findEndedCalls', () => {
  it('finds calls that turned ended, and calls that vanished (ended now)', () => {
    const ringing = call({ id: 'a', phase: 'ringing' });
    const connected = call({ id: 'b', phase: 'connected', connectedAt: NOW - 5_000 });
    const ended = findEndedCalls(
      [ringing, connected],
      [{ ...ringing, phase: 'ended', endedAt: NOW - 10, outcome: 'no-answer' }],
      NOW,
    );
    expect(ended.map((c) => [c.id, c.phase, c.endedAt])).toEqual([
      ['a', 'ended', NOW - 10],
      ['b', 'ended', NOW],
    ]);
  });

  it('reports a call that shows up already ended (a dial that failed at once)', () => {
    const failed = call({ phase: 'ended', endedAt: NOW, outcome: 'failed' });
    expect(findEndedCalls([], [failed], NOW)).toEqual([failed]);
  });

  it('reports each ended call once', () => {
    const ended = call({ phase: 'ended', endedAt: NOW });
    expect(findEndedCalls([ended], [ended], NOW)).toEqual([]);
    expect(findEndedCalls([ended], [], NOW)).toEqual([]);
    expect(findEndedCalls([call()], [call({ phase: 'ringing' })], NOW)).toEqual([]);
  });
});
