/** Field names whose values are secrets wherever they appear in a log record. */
const SECRET_KEY =
  /pass(word|wd|phrase)?|secret|token|api[-_]?key|authori[sz]ation|hash|digest|nonce|cookie|ticket|session[-_]?key|^key$|private[-_]?key/i;

export const REDACTED = '[redacted]';

const secretKeyCache = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  let secret = secretKeyCache.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key);
    // Field names are a small, fixed vocabulary; the bound keeps a misbehaving caller from growing it.
    if (secretKeyCache.size < 10_000) secretKeyCache.set(key, secret);
  }
  return secret;
}

const identity = (text: string): string => text;

/**
 * `value` with every secret-named field replaced by "[redacted]" and every string value passed through
 * `scrub` (known secret values). Keys are never changed. Copy on write: plain objects and arrays that need
 * no change are returned as they are (a log line is serialised at once, so sharing them is safe); other
 * objects are copied into plain ones as before.
 */
export function redactFields<T>(value: T, scrub: (text: string) => string = identity, depth = 0): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (typeof value === 'bigint') return value.toString() as T;
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: scrub(value.message) } as T;
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    const items = value as unknown[];
    if (proto !== Array.prototype) return items.map((item) => redactFields(item, scrub, depth + 1)) as T;
    let out: unknown[] | null = null;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const redacted = redactFields(item, scrub, depth + 1);
      if (out === null && !Object.is(redacted, item)) out = items.slice(0, i);
      if (out !== null) out.push(redacted);
    }
    // (A sparse array is copied by `map`, which keeps its holes.)
    return (out ?? (items.length === 0 || hasNoHoles(items) ? items : items.map((item) => item))) as T;
  }
  const record = value as Record<string, unknown>;
  const plain = proto === Object.prototype || proto === null;
  let out: Record<string, unknown> | null = plain ? null : {};
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const inner = record[key];
    const redacted = redactEntry(key, inner, scrub, depth + 1);
    if (out === null && !Object.is(redacted, inner)) {
      out = {};
      for (let j = 0; j < i; j++) defineField(out, keys[j]!, record[keys[j]!]);
    }
    if (out !== null) defineField(out, key, redacted);
  }
  return (out ?? value) as T;
}

/** One field of a log record or nested object: its value redacted, or "[redacted]" under a secret name. */
export function redactEntry(
  key: string,
  value: unknown,
  scrub: (text: string) => string = identity,
  depth = 1,
): unknown {
  return isSecretKey(key) && value != null && value !== '' ? REDACTED : redactFields(value, scrub, depth);
}

/** Sets `key` as an own field (also `__proto__`, as the spread of a parsed object would). */
export function defineField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}

function hasNoHoles(items: unknown[]): boolean {
  for (let i = 0; i < items.length; i++) if (!(i in items)) return false;
  return true;
}

/** Values too ordinary to scrub: they would blank out ordinary words of every line. */
const COMMON_VALUES = new Set([
  'debug',
  'info',
  'warn',
  'error',
  'true',
  'false',
  'null',
  'undefined',
  'online',
  'offline',
]);

/** Whether a value is distinctive enough to scrub from free text (short or common ones are not). */
export function isScrubbable(value: string): boolean {
  if (value.length < 6 || COMMON_VALUES.has(value.toLowerCase())) return false;
  // Short digit strings are extensions, ports, counts: a PIN that short is protected by its field name.
  return !(/^[0-9]+$/.test(value) && value.length < 8);
}

/**
 * Replaces known secret values inside the string values of a log line (secrets inside messages and
 * URLs). Per-connection secrets are removed again by the disposer `add` returns.
 */
export class SecretScrubber {
  private readonly counts = new Map<string, number>();
  /** Every form a secret can take: as is, and JSON-escaped. Longest first. */
  private forms: string[] = [];

  add(value: string | null | undefined): () => void {
    if (!value || !isScrubbable(value)) return () => undefined;
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
    this.rebuild();
    let disposed = false;
    return () => {
      if (disposed) return;
      disposed = true;
      const left = (this.counts.get(value) ?? 1) - 1;
      if (left > 0) this.counts.set(value, left);
      else this.counts.delete(value);
      this.rebuild();
    };
  }

  get size(): number {
    return this.counts.size;
  }

  scrub(text: string): string {
    // Plain substring checks: far cheaper per value than a regular expression of alternatives.
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  private rebuild(): void {
    const forms = new Set<string>();
    for (const value of this.counts.keys()) {
      forms.add(value);
      forms.add(JSON.stringify(value).slice(1, -1));
    }
    this.forms = [...forms].sort((a, b) => b.length - a.length);
  }
}
