import { randomBytes } from 'node:crypto';

/**
 * The Bridge's call ids: a random per-process prefix and a counter, letters and digits only (≤ 64, so
 * VIPTel can use them as call_random_id). Unique within a run and, by the prefix, across restarts.
 */
export function callIdSource(): () => string {
  const prefix = randomBytes(6).toString('hex');
  let counter = 0;
  return () => `${prefix}${(counter++).toString(36)}`;
}
