// A JSON field (Harmony's `protocol`) as IT types it: empty means "defaults", else one JSON object.

export type JsonFieldParse =
  { ok: true; value: Record<string, unknown> | null } | { ok: false; message: string };

/** Line and column (1-based) of a character offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

/** Where JSON.parse stopped: V8 says "at position N"; "end of JSON input" means the end. */
function errorOffset(text: string, message: string): number | null {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  return /end of (JSON )?input/i.test(message) ? text.length : null;
}

/** Parses the text of a JSON field; a syntax error names its line and column. */
export function parseJsonField(text: string): JsonFieldParse {
  if (!text.trim()) return { ok: true, value: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const offset = errorOffset(text, raw);
    const reason = raw.replace(/\s*(in JSON )?at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
    if (offset === null) return { ok: false, message: `Not valid JSON: ${reason}` };
    const { line, column } = lineAndColumn(text, offset);
    return { ok: false, message: `Not valid JSON at line ${line}, column ${column}: ${reason}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, message: 'Expected a JSON object: { … }' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** A stored object as the field shows it: indented JSON, or empty for "defaults". */
export function jsonFieldText(value: unknown): string {
  if (value === null || typeof value !== 'object' || Object.keys(value).length === 0) return '';
  return JSON.stringify(value, null, 2);
}
