import type { z } from 'zod';
import type { FieldErrors } from '../../../shared/ipc-contract';
import { formatKeyPath } from '../../engine/config/load';

/** One issue in the words the settings form shows next to a field. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) return 'required';
  return issue.message.replace(/^Invalid input: /, '');
}

/**
 * Zod issues → FieldErrors keyed by key path. `mapPath` turns an issue path into the form's key (or null for
 * issues that belong to no field of this form); the first issue per key wins.
 */
export function fieldErrorsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  mapPath: (path: readonly PropertyKey[]) => string | null = (path) => formatKeyPath(path),
): { fieldErrors: FieldErrors; other: string[] } {
  const fieldErrors: FieldErrors = {};
  const other: string[] = [];
  for (const issue of issues) {
    const key = mapPath(issue.path);
    const message = issueMessage(issue);
    if (key === null || key === '')
      other.push(issue.path.length ? `${formatKeyPath(issue.path)}: ${message}` : message);
    else fieldErrors[key] ??= message;
  }
  return { fieldErrors, other };
}
