import { describe, expect, it } from 'vitest';
import { valueAtPath, withValueAtPath } from '../../../src/renderer/logic/field-path';

describe('valueAtPath', () => {
  it('reads plain and dotted paths', () => {
    const source = { url: 'wss://x', dialRules: { outsideLinePrefix: '9' } };
    expect(valueAtPath(source, 'url')).toBe('wss://x');
    expect(valueAtPath(source, 'dialRules.outsideLinePrefix')).toBe('9');
    expect(valueAtPath(source, 'dialRules.missing.deeper')).toBeUndefined();
    expect(valueAtPath(source, 'url.length')).toBeUndefined();
  });
});

describe('withValueAtPath', () => {
  it('sets nested values without touching the original', () => {
    const original = { dialRules: { outsideLinePrefix: '9', nationalPrefix: '0' } };
    const changed = withValueAtPath(original, 'dialRules.outsideLinePrefix', '0');
    expect(changed).toEqual({ dialRules: { outsideLinePrefix: '0', nationalPrefix: '0' } });
    expect(original.dialRules.outsideLinePrefix).toBe('9');
  });

  it('creates missing levels and removes a key when the value is undefined', () => {
    expect(withValueAtPath({}, 'a.b', 1)).toEqual({ a: { b: 1 } });
    expect(withValueAtPath({ a: 1, b: 2 }, 'a', undefined)).toEqual({ b: 2 });
  });
});
