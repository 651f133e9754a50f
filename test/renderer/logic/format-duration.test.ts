import { describe, expect, it } from 'vitest';
import { elapsedSeconds, formatDuration, formatWait } from '../../../src/renderer/logic/format-duration';

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [7, '0:07'],
    [65, '1:05'],
    [599.9, '9:59'],
    [3600, '1:00:00'],
    [3723, '1:02:03'],
    [-5, '0:00'],
    [Number.NaN, '0:00'],
  ])('%s s → %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('elapsedSeconds', () => {
  it('counts whole seconds and never goes negative', () => {
    expect(elapsedSeconds(1_000, 66_999)).toBe(65);
    expect(elapsedSeconds(5_000, 1_000)).toBe(0);
  });
});

describe('formatWait', () => {
  it.each([
    [7.2, '8 s'],
    [0, '0 s'],
    [60, '1 min'],
    [75, '1 min 15 s'],
  ])('%s s → %s', (seconds, expected) => {
    expect(formatWait(seconds)).toBe(expected);
  });
});
