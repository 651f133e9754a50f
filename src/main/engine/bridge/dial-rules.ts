import type { DialRules } from '../config/common';
import { firstMatchingPattern } from '../util/number-pattern';

export type DialDecision =
  { ok: true; number: string } | { ok: false; reason: string; outcome: 'invalid-number' | 'rejected' };

/** Patriot sanitises phoneNo to 0-9, "*", "#" and "+"; anything else means a broken or hostile peer. */
const PATRIOT_NUMBER = /^\+?[0-9*#]{1,32}$/;

/**
 * Checks a Patriot phoneNo and rewrites it per the profile's dial rules:
 * blocked patterns, then "+" rewriting, then the outside-line prefix for external numbers.
 */
export function applyDialRules(phoneNo: string, rules: DialRules): DialDecision {
  const number = phoneNo.trim();
  if (number === '') return { ok: false, reason: 'No number to dial', outcome: 'invalid-number' };
  if (!PATRIOT_NUMBER.test(number)) {
    return {
      ok: false,
      reason: `"${number.slice(0, 40)}" is not a phone number (digits, * and # only, with an optional leading +, at most 32)`,
      outcome: 'invalid-number',
    };
  }

  const rewritten = rewritePlus(number, rules);
  const blocked =
    firstMatchingPattern(number, rules.blockedPatterns) ??
    firstMatchingPattern(rewritten, rules.blockedPatterns);
  if (blocked)
    return { ok: false, reason: `${number} is blocked by the dial rules (${blocked})`, outcome: 'rejected' };

  return { ok: true, number: addOutsideLine(rewritten, rules) };
}

function rewritePlus(number: string, rules: DialRules): string {
  if (!number.startsWith('+')) return number;
  const digits = number.slice(1);
  if (rules.countryCode && digits.startsWith(rules.countryCode)) {
    return rules.nationalPrefix + digits.slice(rules.countryCode.length);
  }
  return rules.internationalPrefix === null ? number : rules.internationalPrefix + digits;
}

function addOutsideLine(number: string, rules: DialRules): string {
  if (!rules.outsideLinePrefix) return number;
  // "+…" goes to the PBX as E.164; feature codes (*, #) and short extensions stay internal.
  if (number.startsWith('+') || number.startsWith('*') || number.startsWith('#')) return number;
  if (number.length <= rules.internalMaxDigits) return number;
  return rules.outsideLinePrefix + number;
}
