export type DialCheck = { ok: true; number: string } | { ok: false; message: string };

export const MAX_DIAL_DIGITS = 32;

/** Blanks, dashes, dots, slashes and brackets people type or paste between digits. */
const SEPARATORS = /[\s\-./()]/g;

/** Checks a typed number: digits 0-9, * and #, with an optional leading +. Separators are dropped. */
export function checkDialNumber(input: string): DialCheck {
  const number = input.replace(SEPARATORS, '');
  if (!number) return { ok: false, message: 'Enter a number to dial.' };
  if (/^\+?[0-9*#]+$/.test(number)) {
    if (number.replace('+', '').length > MAX_DIAL_DIGITS) {
      return { ok: false, message: `That number is too long (at most ${MAX_DIAL_DIGITS} digits).` };
    }
    return { ok: true, number };
  }
  if (/^[+0-9*#]+$/.test(number)) return { ok: false, message: 'A + is only allowed at the start.' };
  return { ok: false, message: 'Use only digits 0-9, * and #, with an optional + at the start.' };
}
