// The hand-checked dial-request parser must accept exactly what the zod schema accepts, with the same value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DIAL_REQUEST_FAST_LIMITS,
  fastDialRequest,
  LIMITS,
  parsePatriotFrame,
  patriotMessageSchema,
} from '../../src/main/engine/patriot/protocol';

/** zod's answer for a dial-request (the union picks the dial-request member by its type). */
function zodDial(value: unknown): { ok: true; value: unknown } | { ok: false } {
  const parsed = patriotMessageSchema.safeParse(value);
  return parsed.success && parsed.data.type === 'dial-request'
    ? { ok: true, value: parsed.data }
    : { ok: false };
}

/** Strings around a limit: ASCII, digits, and astral characters (two UTF-16 units each). */
const textAround = (limit: number) =>
  fc.oneof(
    fc.string({ minLength: limit - 2, maxLength: limit + 2 }),
    fc.string({
      unit: fc.constantFrom('0', '1', '+', '#', '*', ' ', '-'),
      minLength: 0,
      maxLength: limit + 2,
    }),
    fc.string({ unit: 'grapheme', maxLength: Math.ceil(limit / 2) + 2 }),
    fc.string({
      unit: fc.constantFrom('😀', '1', '\ud83d', '\ude00'),
      minLength: limit - 2,
      maxLength: limit * 2 + 2,
    }),
    fc.string({ unit: 'binary', maxLength: limit + 2 }),
  );

const anyJson = fc.jsonValue({ maxDepth: 2 });

const fieldValue = (limit: number) =>
  fc.oneof({ weight: 4, arbitrary: textAround(limit) }, { weight: 1, arbitrary: anyJson });

const payload = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        phoneNo: fieldValue(LIMITS.phoneNo),
        rawPhoneNo: fieldValue(LIMITS.rawPhoneNo),
        extra: anyJson,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: anyJson },
);

const frame = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        type: fc.oneof(
          { weight: 5, arbitrary: fc.constant('dial-request') },
          { weight: 1, arbitrary: fc.constantFrom('dial-request ', 'Dial-request', 'heartbeat', '') },
        ),
        payload,
        requestId: anyJson,
      },
      { requiredKeys: ['type'] },
    ),
  },
  { weight: 1, arbitrary: anyJson },
);

describe('dial-request fast path', () => {
  it('reads its limits from the schema (a schema change the fast path does not know turns it off)', () => {
    expect(DIAL_REQUEST_FAST_LIMITS).toEqual({ phoneNo: LIMITS.phoneNo, rawPhoneNo: LIMITS.rawPhoneNo });
  });

  it('accepts and refuses the same values as the zod schema, with the same result (property)', () => {
    fc.assert(
      fc.property(frame, (value) => {
        // Through JSON, as frames arrive.
        const input = JSON.parse(JSON.stringify(value)) as unknown;
        const fast = fastDialRequest(input);
        const zod = zodDial(input);
        expect(fast !== null).toBe(zod.ok);
        if (fast !== null && zod.ok) expect(fast).toStrictEqual(zod.value);
      }),
      { numRuns: 5_000 },
    );
  });

  it('the frame parser returns what zod returns for dial-request frames (property)', () => {
    fc.assert(
      fc.property(frame, (value) => {
        const text = JSON.stringify(value);
        const parsed = parsePatriotFrame(text, false);
        const zod = zodDial(JSON.parse(text));
        if (zod.ok) expect(parsed).toStrictEqual({ ok: true, message: zod.value });
        else if (parsed.ok) expect(parsed.message.type).not.toBe('dial-request');
      }),
      { numRuns: 3_000 },
    );
  });

  it('holds at the exact limits and for values JSON cannot carry', () => {
    const at = (phoneNo: unknown, rawPhoneNo?: unknown) => ({
      type: 'dial-request',
      payload: rawPhoneNo === undefined ? { phoneNo } : { phoneNo, rawPhoneNo },
    });
    const cases: unknown[] = [
      at('1'.repeat(LIMITS.phoneNo)),
      at('1'.repeat(LIMITS.phoneNo + 1)),
      at('1', '2'.repeat(LIMITS.rawPhoneNo)),
      at('1', '2'.repeat(LIMITS.rawPhoneNo + 1)),
      at('😀'.repeat(LIMITS.phoneNo / 2)),
      at('😀'.repeat(LIMITS.phoneNo / 2) + '1'),
      // zod counts code points: a surrogate pair is one, a lone surrogate one.
      at('😀'.repeat(LIMITS.phoneNo)),
      at('😀'.repeat(LIMITS.phoneNo) + '1'),
      at('\ud83d'.repeat(LIMITS.phoneNo)),
      at('\ud83d'.repeat(LIMITS.phoneNo + 1)),
      at('\ude00\ud83d'.repeat(LIMITS.phoneNo / 2) + '😀'),
      at(''),
      at(12345),
      at('1', null),
      at('1', 5),
      { type: 'dial-request', payload: { phoneNo: '1', rawPhoneNo: undefined } },
      { type: 'dial-request', payload: [] },
      { type: 'dial-request', payload: null },
      { type: 'dial-request' },
      { type: 'dial-request', payload: { phoneNo: '1', other: 2 }, extra: true },
    ];
    for (const value of cases) {
      const fast = fastDialRequest(value);
      const zod = zodDial(value);
      expect(fast !== null, JSON.stringify(value)).toBe(zod.ok);
      if (fast !== null && zod.ok) expect(fast).toStrictEqual(zod.value);
    }
    // The cases above include both outcomes, so the comparison is not vacuous.
    expect(fastDialRequest(cases[0])).not.toBeNull();
    expect(fastDialRequest(cases[1])).toBeNull();
  });
});
