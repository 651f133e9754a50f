// Reading plain values out of Basix record fields, leniently (a text may come as binary, char list or
// atom; "no value" is the atom `undefined`; ids are integers but compared as text when they are not).
import { Atom, Binary, ErlString, Tuple, type Term } from './etf-terms';

/** Text of a field: binary (UTF-8), char list or atom name; undefined for `undefined`, empty or other terms. */
export function textValue(term: Term | undefined): string | undefined {
  let text: string | undefined;
  if (term instanceof Binary) text = term.text();
  else if (term instanceof ErlString) text = term.value;
  else if (term instanceof Atom) text = term.name === 'undefined' ? undefined : term.name;
  else if (typeof term === 'number' || typeof term === 'bigint') text = String(term);
  return text === '' ? undefined : text;
}

/** The atom name (or text) at a tuple position, e.g. a state's name. */
export function nameAt(term: Term | undefined, index: number): string | undefined {
  return term instanceof Tuple ? textValue(term.items[index]) : undefined;
}

/** True when the field holds a value (not the atom `undefined`, not absent, not empty). */
export function hasValue(term: Term | undefined): boolean {
  if (term === undefined) return false;
  if (term instanceof Atom) return term.name !== 'undefined' && term.name !== 'false';
  if (term instanceof Binary) return term.bytes.length > 0;
  if (Array.isArray(term)) return term.length > 0;
  return true;
}

/** An id to compare: a number when it is one, else its text. */
export type UserId = number | string;

export function idValue(term: Term | undefined): UserId | undefined {
  if (typeof term === 'number') return term;
  if (typeof term === 'bigint') return String(term);
  const text = textValue(term);
  if (text === undefined) return undefined;
  const number = Number(text);
  return Number.isSafeInteger(number) && String(number) === text ? number : text;
}

/** Cheap equality of a field with a known id: the hot path of the channel filter. */
export function isId(term: Term | undefined, id: UserId): boolean {
  if (typeof term === 'number') return term === id;
  if (term === undefined || term instanceof Atom) return false;
  return idValue(term) === id;
}
