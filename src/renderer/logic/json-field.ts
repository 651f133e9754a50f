// A JSON field (Harmony's `protocol`) as IT types it: empty means "defaults", else one JSON object.
import { findJsonSyntaxError } from './json-syntax';

export type JsonFieldParse =
  { ok: true; value: Record<string, unknown> | null } | { ok: false; message: string };

/** Line and column (1-based) of a character offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

/** Parses the text of a JSON field; a syntax error names its line and column. */
export function parseJsonField(text: string): JsonFieldParse {
  if (!text.trim()) return { ok: true, value: null };
  const problem = findJsonSyntaxError(text);
  if (problem) {
    const { line, column } = lineAndColumn(text, problem.offset);
    return { ok: false, message: `Not valid JSON at line ${line}, column ${column}: ${problem.reason}` };
  }
  const value: unknown = JSON.parse(text);
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
