import type { FieldErrors } from '../../shared/ipc-contract';

export interface PlacedErrors {
  /** Errors by the form field they belong to. */
  byField: Record<string, string>;
  /** Errors no field on the form matches, as "key: message", shown above the form. */
  unplaced: string[];
}

/** Key paths may come wrapped ("fields.extension", "profiles[1].extension"): keep the part after the wrapper. */
const WRAPPERS = /^(?:profiles\[\d+\]\.|patriot\.|fields\.|secrets\.)+/;

function belongsTo(key: string, field: string): boolean {
  return key === field || key.startsWith(`${field}.`) || key.startsWith(`${field}[`);
}

/**
 * Puts each error next to the field it names; the longest matching field name wins.
 * `aliases` maps other spellings of a key path to a field (e.g. "listen.port" → "port"); errors inside a
 * field of `objectFields` (a JSON field) say where ("framing.magic: …").
 */
export function placeFieldErrors(
  errors: FieldErrors,
  fieldNames: readonly string[],
  aliases: Record<string, string> = {},
  objectFields: readonly string[] = [],
): PlacedErrors {
  const byField: Record<string, string> = {};
  const unplaced: string[] = [];
  const longestFirst = [...fieldNames].sort((a, b) => b.length - a.length);
  const aliasesLongestFirst = Object.keys(aliases).sort((a, b) => b.length - a.length);
  for (const [rawKey, message] of Object.entries(errors)) {
    const stripped = rawKey.replace(WRAPPERS, '');
    const alias = aliasesLongestFirst.find((spelling) => belongsTo(stripped, spelling));
    const key = alias === undefined ? stripped : (aliases[alias] ?? stripped);
    const field = longestFirst.find((name) => belongsTo(key, name));
    if (field === undefined) {
      unplaced.push(key ? `${keyPathInWords(key)}: ${message}` : message);
      continue;
    }
    const named = objectFields.includes(field) && key.startsWith(`${field}.`);
    const inside = named ? `${key.slice(field.length + 1)}: ` : '';
    byField[field] = byField[field] ? `${byField[field]} ${inside}${message}` : `${inside}${message}`;
  }
  return { byField, unplaced };
}

/** "dialRules.outsideLinePrefix" → "Dial rules, outside line prefix"; "blockedPatterns[2]" → "Blocked patterns, item 3". */
export function keyPathInWords(keyPath: string): string {
  const words = keyPath
    .replace(/\[(\d+)\]/g, (_, index: string) => `.item ${Number(index) + 1}`)
    .split('.')
    .filter(Boolean)
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase())
    .join(', ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
