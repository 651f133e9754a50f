import { describe, expect, it } from 'vitest';
import { dialRulesSchema } from '../../src/main/engine/config/common';
import { applyDialRules } from '../../src/main/engine/bridge/dial-rules';
import { matchesNumberPattern } from '../../src/main/engine/util/number-pattern';

const rules = (input: Record<string, unknown> = {}) => dialRulesSchema.parse(input);

describe('number patterns', () => {
  it.each([
    ['0900123', '0900*', true],
    ['0800123', '0900*', false],
    ['12386', '*86', true],
    ['12387', '*86', false],
    ['123', '1?3', true],
    ['13', '1?3', false],
    ['anything', '*', true],
    ['1234', '12*4', true],
    ['12345', '12*4', false],
  ])('%s against %s is %s', (number, pattern, expected) => {
    expect(matchesNumberPattern(number, pattern)).toBe(expected);
  });
});

describe('dial rules', () => {
  it('passes a plain number through when no rules are set', () => {
    expect(applyDialRules('0123456789', rules())).toEqual({ ok: true, number: '0123456789' });
    expect(applyDialRules('+4420123', rules())).toEqual({ ok: true, number: '+4420123' });
  });

  it.each(['', '   ', '12a4', '12 34', '1+2', "1'; DROP", '1'.repeat(33)])(
    'refuses %j as not a number',
    (bad) => {
      const decision = applyDialRules(bad, rules());
      expect(decision.ok).toBe(false);
      if (!decision.ok) expect(decision.outcome).toBe('invalid-number');
    },
  );

  it('rewrites the own country code to the national prefix and others to the international prefix', () => {
    const r = rules({ countryCode: '44', internationalPrefix: '00' });
    expect(applyDialRules('+442071234567', r)).toEqual({ ok: true, number: '02071234567' });
    expect(applyDialRules('+33123456789', r)).toEqual({ ok: true, number: '0033123456789' });
  });

  it('adds the outside-line prefix to external numbers only', () => {
    const r = rules({ outsideLinePrefix: '9', internalMaxDigits: 4 });
    expect(applyDialRules('1234', r)).toEqual({ ok: true, number: '1234' });
    expect(applyDialRules('0123456', r)).toEqual({ ok: true, number: '90123456' });
    expect(applyDialRules('*86', r)).toEqual({ ok: true, number: '*86' });
    expect(applyDialRules('+4420', r)).toEqual({ ok: true, number: '+4420' });
  });

  it('blocks patterns before and after rewriting', () => {
    const r = rules({ countryCode: '44', blockedPatterns: ['09*'] });
    const direct = applyDialRules('0900123', r);
    expect(direct).toMatchObject({ ok: false, outcome: 'rejected' });
    if (!direct.ok) expect(direct.reason).toContain('09*');
    expect(applyDialRules('+44900123', r)).toMatchObject({ ok: false, outcome: 'rejected' });
    expect(applyDialRules('0800123', r)).toEqual({ ok: true, number: '0800123' });
  });
});
