import type { CallPhase, CallView } from '../../shared/bridge-types';
import { elapsedSeconds } from './format-duration';
import { directionLabel, outcomeLabel, phaseLabel } from './outcome-words';
import type { Tone } from './tone';

/** How long an ended call stays on the call card before it falls back to "No call". */
export const ENDED_HOLD_MS = 60_000;

export interface CallDisplay {
  phase: CallPhase | 'idle';
  tone: Tone;
  label: string;
  number: string | null;
  direction: string | null;
  /** Talk time in seconds once connected; null before (and for calls that never connected). */
  talkSeconds: number | null;
  /** Why the call ended, in the PBX's words when it gave some. */
  endReason: string | null;
  canHangUp: boolean;
  /** Further live calls besides the one shown. */
  otherLiveCalls: number;
}

const IDLE: CallDisplay = {
  phase: 'idle',
  tone: 'idle',
  label: phaseLabel('idle'),
  number: null,
  direction: null,
  talkSeconds: null,
  endReason: null,
  canHangUp: false,
  otherLiveCalls: 0,
};

const PHASE_TONES: Record<CallPhase, Tone> = {
  dialing: 'busy',
  ringing: 'busy',
  connected: 'ok',
  ended: 'idle',
};

/** Why the call ended; null when the bridge did not say (the call just left the snapshot). */
function endReason(call: CallView): string | null {
  if (!call.outcome && !call.detail) return null;
  const label = outcomeLabel(call.outcome);
  if (!call.detail || call.detail.toLowerCase() === label.toLowerCase()) return label;
  return call.outcome && call.outcome !== 'completed' ? `${label}: ${call.detail}` : call.detail;
}

function talkSeconds(call: CallView, now: number): number | null {
  if (call.connectedAt === null) return null;
  return elapsedSeconds(call.connectedAt, call.endedAt ?? now);
}

/** What the call card shows: the newest live call, else a call that just ended, else "No call". */
export function describeCall(calls: CallView[], recentlyEnded: CallView | null, now: number): CallDisplay {
  const live = calls.filter((call) => call.phase !== 'ended');
  const shown =
    live[0] ?? calls[0] ?? (recentlyEnded && isEndedHoldActive(recentlyEnded, now) ? recentlyEnded : null);
  if (!shown) return IDLE;
  const ended = shown.phase === 'ended';
  return {
    phase: shown.phase,
    tone: ended && shown.outcome && shown.outcome !== 'completed' ? 'warn' : PHASE_TONES[shown.phase],
    label: phaseLabel(shown.phase),
    number: shown.remoteNumber,
    direction: directionLabel(shown.direction),
    talkSeconds: talkSeconds(shown, now),
    endReason: ended ? endReason(shown) : null,
    canHangUp: !ended,
    otherLiveCalls: Math.max(0, live.length - 1),
  };
}

export function isEndedHoldActive(call: CallView, now: number): boolean {
  return call.endedAt !== null && now - call.endedAt < ENDED_HOLD_MS;
}

/** Calls that were live before and are now ended or gone; gone calls are marked ended at `now`. */
export function findEndedCalls(previous: CallView[], next: CallView[], now: number): CallView[] {
  const before = new Map(previous.map((call) => [call.id, call]));
  const ended: CallView[] = [];
  for (const call of next) {
    if (call.phase === 'ended' && before.get(call.id)?.phase !== 'ended') ended.push(call);
  }
  const stillThere = new Set(next.map((call) => call.id));
  for (const call of previous) {
    if (call.phase !== 'ended' && !stillThere.has(call.id)) {
      ended.push({ ...call, phase: 'ended', endedAt: call.endedAt ?? now });
    }
  }
  return ended;
}
