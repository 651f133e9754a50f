/** Field names whose values are secrets wherever they appear in a log record. */
const SECRET_KEY =
  /pass(word|wd|phrase)?|secret|token|api[-_]?key|authori[sz]ation|hash|digest|nonce|cookie|ticket|session[-_]?key|^key$|private[-_]?key/i;

export const REDACTED = '[redacted]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep copy of `value` with every secret-named field replaced by "[redacted]". */
export function redactFields<T>(value: T, depth = 0): T {
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
  private readonly secrets = new Set<string>();
  private pattern: RegExp | null = null;

  add(value: string | null | undefined): void {
    // Very short values would scrub ordinary words and numbers; real secrets are longer.
    if (!value || value.length < 4 || this.secrets.has(value)) return;
    this.secrets.add(value);
    // JSON-escaped form too, since lines are scrubbed after serialisation.
    const forms = new Set([value, JSON.stringify(value).slice(1, -1)]);
    for (const secret of [...this.secrets]) forms.add(JSON.stringify(secret).slice(1, -1));
    const alternatives = [...forms, ...this.secrets]
      .sort((a, b) => b.length - a.length)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.pattern = new RegExp([...new Set(alternatives)].join('|'), 'g');
  }

  scrub(line: string): string {
    return this.pattern ? line.replace(this.pattern, REDACTED) : line;
  }
}
