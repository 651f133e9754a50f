import type { CallDirection, CallOutcome, CallPhase } from '../../shared/bridge-types';
import { CALL_OUTCOME_TEXT } from '../../shared/call-outcome-text';

export function outcomeLabel(outcome: CallOutcome | null): string {
  return outcome ? CALL_OUTCOME_TEXT[outcome] : 'Ended';
}

export function directionLabel(direction: CallDirection): string {
  return direction === 'outbound' ? 'Outgoing' : 'Incoming';
}

export function phaseLabel(phase: CallPhase | 'idle'): string {
  switch (phase) {
    case 'idle':
      return 'No call';
    case 'dialing':
      return 'Dialing…';
    case 'ringing':
      return 'Ringing';
    case 'connected':
      return 'Connected';
    case 'ended':
      return 'Call ended';
  }
}
