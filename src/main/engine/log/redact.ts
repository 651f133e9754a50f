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

/** Deep copy of `value` with every secret-named field replaced by "[redacted]". */
export function redactFields<T>(value: T, depth = 0): T {
  if (typeof value === 'bigint') return value.toString() as T;
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message } as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactFields(item, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key] = isSecretKey(key) && inner != null && inner !== '' ? REDACTED : redactFields(inner, depth + 1);
  }
  return out as T;
}

/** Replaces known secret values anywhere in a finished line (catches secrets inside messages and URLs). */
export class SecretScrubber {
  /** Every form a secret can take in a JSON line: as is, and JSON-escaped. Longest first. */
  private forms: string[] = [];

  add(value: string | null | undefined): void {
    // Very short values would scrub ordinary words and numbers; real secrets are longer.
    if (!value || value.length < 4) return;
    const escaped = JSON.stringify(value).slice(1, -1);
    const added = [value, escaped].filter((form) => !this.forms.includes(form));
    if (added.length === 0) return;
    this.forms = [...this.forms, ...added].sort((a, b) => b.length - a.length);
  }

  scrub(line: string): string {
    // Plain substring checks: far cheaper per line than a regular expression of alternatives.
    let out = line;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }
}
