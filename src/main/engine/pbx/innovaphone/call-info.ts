// What one CallInfo means for the operator's call: its phase, and at the end, the outcome.
import type { CallDirection, CallOutcome } from '../../../../shared/bridge-types';
import type { CallCause, CallInfoRecord } from './wire';

/** state bit: the PBX calls the user's terminal (PBX-centric "outbound"), i.e. a call *to* the user. */
export const STATE_TOWARDS_USER = 0x80;

/** Phases the adapter acts on. `ending` = disconnect seen; `gone` = the call record is deleted. */
export type CallInfoPhase = 'setup' | 'ringing' | 'connected' | 'ending' | 'gone';

export function phaseOf(info: CallInfoRecord): CallInfoPhase {
  // End markers: `msg:"del"` and/or `del:true` (both seen in innovaphone code), `active:false` (SOAP).
  if (info.msg === 'del' || info.delFlag || info.inactive) return 'gone';
  // `x-disc` is inferred by symmetry with the `r-disc` seen in the wild.
  if (info.msg && /-(disc|rel)$/.test(info.msg)) return 'ending';
  if (info.state !== undefined) {
    const phase = info.state & 0x0f;
    if (phase === 6 || phase === 7) return 'ending';
    if (phase === 5 || phase === 8) return 'connected'; // 8 = parked: the call is still up
    if (phase === 4) return 'ringing';
    // 0..3 (init, setup, setup-ack, call-proc) fall through: the msg may say more.
  }
  if (info.msg?.endsWith('-conn')) return 'connected';
  if (info.msg?.endsWith('-alert')) return 'ringing';
  return 'setup';
}

/** Direction of a call the bridge did not place itself (our own UserCall calls are always outbound). */
export function directionOf(state: number | undefined): CallDirection {
  return state !== undefined && (state & STATE_TOWARDS_USER) !== 0 ? 'inbound' : 'outbound';
}

/** Q.850 causes the operator can act on; every other cause ends as 'failed' with its text kept. */
const CAUSES: Record<number, { outcome: CallOutcome; text: string }> = {
  1: { outcome: 'invalid-number', text: 'Unallocated (unassigned) number' },
  3: { outcome: 'unreachable', text: 'No route to destination' },
  17: { outcome: 'busy', text: 'User busy' },
  18: { outcome: 'no-answer', text: 'No user responding' },
  19: { outcome: 'no-answer', text: 'No answer from user' },
  20: { outcome: 'unreachable', text: 'Subscriber absent' },
  21: { outcome: 'rejected', text: 'Call rejected' },
  22: { outcome: 'invalid-number', text: 'Number changed' },
  27: { outcome: 'unreachable', text: 'Destination out of order' },
  28: { outcome: 'invalid-number', text: 'Invalid number format' },
  34: { outcome: 'unreachable', text: 'No circuit/channel available' },
  38: { outcome: 'unreachable', text: 'Network out of order' },
  41: { outcome: 'unreachable', text: 'Temporary failure' },
  42: { outcome: 'unreachable', text: 'Switching equipment congestion' },
  57: { outcome: 'rejected', text: 'Bearer capability not authorized' },
};

const NORMAL_CLEARING = new Set([16, 31]);

/** What the adapter knows about a call when it ends. */
export interface EndingFacts {
  direction: CallDirection;
  connected: boolean;
  /** We sent UserClear for it. */
  clearedByUs: boolean;
  cause?: CallCause;
  /** The msg that ended it (e.g. "r-disc"), if any. */
  msg?: string;
}

export function outcomeOf(facts: EndingFacts): { outcome: CallOutcome; detail: string } {
  const detail = describeEnding(facts);
  const known = facts.cause?.value !== undefined ? CAUSES[facts.cause.value] : undefined;
  if (facts.connected) return { outcome: 'completed', detail };
  if (facts.clearedByUs) return { outcome: 'cancelled', detail };
  if (known) return { outcome: known.outcome, detail };
  const value = facts.cause?.value;
  if (value !== undefined && !NORMAL_CLEARING.has(value)) return { outcome: 'failed', detail };
  // Normal clearing before answer. x-/r- = user side / peer side (inferred meaning of the prefixes).
  const side = facts.msg?.startsWith('x-') ? 'user' : facts.msg?.startsWith('r-') ? 'peer' : 'unknown';
  if (facts.direction === 'inbound') {
    return { outcome: side === 'user' ? 'rejected' : 'no-answer', detail };
  }
  if (side === 'user') return { outcome: 'cancelled', detail };
  return { outcome: side === 'peer' ? 'rejected' : 'failed', detail };
}

/** The PBX's own words: cause text and number, and the signalling message, e.g. "User busy (cause 17, r-disc)". */
function describeEnding(facts: EndingFacts): string {
  const value = facts.cause?.value;
  const text = facts.cause?.text ?? (value !== undefined ? CAUSES[value]?.text : undefined);
  const parts = [value !== undefined ? `cause ${value}` : null, facts.msg ?? null].filter(Boolean);
  const base = text ?? (facts.connected || facts.clearedByUs ? 'Call ended' : 'Call ended before answer');
  return parts.length > 0 ? `${base} (${parts.join(', ')})` : base;
}
