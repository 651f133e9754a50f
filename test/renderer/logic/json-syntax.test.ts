import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../../../src/renderer/logic/json-syntax';
import { lineAndColumn, parseJsonField } from '../../../src/renderer/logic/json-field';

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('findJsonSyntaxError', () => {
  it('agrees with JSON.parse on valid JSON, pretty or not', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        expect(findJsonSyntaxError(JSON.stringify(value, null, indent))).toBeNull();
      }),
    );
  });

  it('agrees with JSON.parse on broken JSON and random text', () => {
    const broken = fc
      .tuple(fc.json(), fc.nat(), fc.string({ maxLength: 3 }))
      .map(
        ([text, at, junk]) =>
          text.slice(0, at % (text.length + 1)) + junk + text.slice(at % (text.length + 1)),
      );
    fc.assert(
      fc.property(fc.oneof(broken, fc.string()), (text) => {
        expect(findJsonSyntaxError(text) === null).toBe(parses(text));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['{"a": 1,}', 8, 'expected a "quoted" key'],
    ['{"a" 1}', 5, 'expected ":" after the key'],
    ['[1 2]', 3, 'expected "," or "]"'],
    ['{"a": tru}', 6, 'unexpected "t"'],
    ['{"a": [', 7, 'unexpected end of the text'],
    ['{} x', 3, 'unexpected text after the end'],
  ])('%j fails at %i: %s', (text, offset, reason) => {
    expect(findJsonSyntaxError(text)).toEqual({ offset, reason });
  });
});

describe('parseJsonField', () => {
  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(parseJsonField('{\n  "a": 1\n  "b": 2\n}')).toEqual({
      ok: false,
      message: 'Not valid JSON at line 3, column 3: expected "," or "}"',
    });
  });
});
