import { describe, expect, it } from 'vitest';
import { describeLogEntry } from '../../../src/renderer/logic/call-log-rows';
import { formatWhen } from '../../../src/renderer/logic/clock-format';
import { makeLogEntry, T0 } from '../support/sample-data';

const UTC_GB = { locale: 'en-GB', timeZone: 'UTC' };

describe('describeLogEntry', () => {
  it('describes a completed call with its talk time', () => {
    expect(describeLogEntry(makeLogEntry(), T0, UTC_GB)).toEqual({
      id: 'log-1',
      direction: 'outbound',
      directionLabel: 'Outgoing',
      number: '0123456789',
      when: '09:10',
      result: 'Completed · 1:52',
      failed: false,
    });
  });

  it('marks calls that did not complete and never shows 0:00 talk time', () => {
    const row = describeLogEntry(makeLogEntry({ outcome: 'busy', talkSec: 0, number: null }), T0, UTC_GB);
    expect(row).toMatchObject({ result: 'Busy', failed: true, number: 'Unknown number' });
  });

  it('says when a call came from a tel: link or the clipboard hotkey', () => {
    expect(describeLogEntry(makeLogEntry({ source: 'tel-link' }), T0, UTC_GB).result).toBe(
      'Completed · 1:52 · from a tel: link',
    );
    expect(
      describeLogEntry(makeLogEntry({ source: 'hotkey', outcome: 'busy', talkSec: 0 }), T0, UTC_GB).result,
    ).toBe('Busy · from the clipboard hotkey');
    expect(describeLogEntry(makeLogEntry({ source: 'patriot' }), T0, UTC_GB).result).toBe('Completed · 1:52');
  });

  it('leaves the time empty when the log has none it can read', () => {
    expect(describeLogEntry(makeLogEntry({ startedAt: 'garbage' }), T0, UTC_GB).when).toBe('');
  });
});

describe('formatWhen', () => {
  it('shows the time for today and adds the day for older calls', () => {
    expect(formatWhen(T0 - 60_000, T0, UTC_GB)).toBe('09:29');
    expect(formatWhen(T0 - 86_400_000, T0, UTC_GB)).toBe('13 Mar, 09:30');
  });

  it('decides "today" in the given time zone', () => {
    const lateEvening = Date.UTC(2025, 2, 13, 23, 30);
    const nextMorning = Date.UTC(2025, 2, 14, 0, 30);
    expect(formatWhen(lateEvening, nextMorning, { locale: 'en-GB', timeZone: 'UTC' })).toBe('13 Mar, 23:30');
    expect(formatWhen(lateEvening, nextMorning, { locale: 'en-GB', timeZone: 'Europe/Bratislava' })).toBe(
      '00:30',
    );
  });
});
