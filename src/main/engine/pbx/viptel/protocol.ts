/** Wire vocabulary of the VIPTel PBX WebSocket API 1.0.8, shared by the adapter and the simulator. */

export const VIPTEL_DEFAULT_URL = 'wss://pbxmanager.viptel.sk:8088';

/** The spec's login window: no login within it and the server closes with 408. */
export const VIPTEL_LOGIN_WINDOW_MS = 30_000;

export type ViptelAction = 'user.login' | 'user.logout' | 'call.create' | 'call.hangup' | 'call.redirect';

export const VIPTEL_ACTIONS: readonly ViptelAction[] = [
  'user.login',
  'user.logout',
  'call.create',
  'call.hangup',
  'call.redirect',
];

/** `call_random_id`: client-chosen, at most 64 alphanumeric characters. */
export const CALL_RANDOM_ID = /^[A-Za-z0-9]{1,64}$/;

/** A frame from the server, after JSON.parse: a reply `{code, message}` or an event `{event, ...}`. */
export type ViptelFrame = Record<string, unknown>;

/**
 * The greeting's nonce. The spec names the field `nonce` but never shows the frame, so it is looked for at
 * the top level first and then in nested objects (e.g. `{"data": {"nonce": ...}}`).
 */
export function findNonce(frame: unknown, depth = 0): string | null {
  if (frame === null || typeof frame !== 'object' || depth > 3) return null;
  const record = frame as Record<string, unknown>;
  const direct = record.nonce;
  if (typeof direct === 'string' && direct !== '') return direct;
  if (typeof direct === 'number') return String(direct);
  for (const value of Object.values(record)) {
    const nested = findNonce(value, depth + 1);
    if (nested !== null) return nested;
  }
  return null;
}

/**
 * `from` is an Integer in the spec's table (its example sends a string). Digits are sent as a number, but
 * only when that loses nothing: no leading zero, within the safe-integer range.
 */
export function extensionForWire(extension: string): number | string {
  return /^(0|[1-9][0-9]{0,14})$/.test(extension) ? Number(extension) : extension;
}

/** The validation errors of a 400 reply as readable text; the spec names the array but not its items. */
export function describeValidationErrors(errors: unknown): string {
  if (!Array.isArray(errors) || errors.length === 0) return '';
  return errors
    .map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))
    .join('; ')
    .slice(0, 300);
}
