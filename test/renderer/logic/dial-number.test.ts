import { describe, expect, it } from 'vitest';
import { checkDialNumber } from '../../../src/renderer/logic/dial-number';

describe('checkDialNumber', () => {
  it.each([
    ['0123456789', '0123456789'],
    ['+44 20 7946 0000', '+442079460000'],
    ['+01 (2) 3-456-789', '+0123456789'],
    ['*21#', '*21#'],
    ['  12  ', '12'],
  ])('accepts %j as %j', (input, number) => {
    expect(checkDialNumber(input)).toEqual({ ok: true, number });
  });

  it.each([
    ['', 'Enter a number to dial.'],
    ['   ', 'Enter a number to dial.'],
    ['12a4', 'Use only digits 0-9, * and #, with an optional + at the start.'],
    ['tel:123', 'Use only digits 0-9, * and #, with an optional + at the start.'],
    ['12+34', 'A + is only allowed at the start.'],
    ['++12', 'A + is only allowed at the start.'],
    ['1'.repeat(33), 'That number is too long (at most 32 digits).'],
  ])('refuses %j: %s', (input, message) => {
    expect(checkDialNumber(input)).toEqual({ ok: false, message });
  });

  it('allows 32 digits after the +', () => {
    expect(checkDialNumber(`+${'1'.repeat(32)}`).ok).toBe(true);
  });
});
