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

/**
 * Deep copy of `value` with every secret-named field replaced by "[redacted]" and every string value
 * passed through `scrub` (known secret values). Keys are never changed.
 */
export function redactFields<T>(value: T, scrub: (text: string) => string = (text) => text, depth = 0): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (typeof value === 'bigint') return value.toString() as T;
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: scrub(value.message) } as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactFields(item, scrub, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key] =
      isSecretKey(key) && inner != null && inner !== '' ? REDACTED : redactFields(inner, scrub, depth + 1);
  }
  return out as T;
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
