import type { CallDirection, CallOutcome, CallPhase } from '../../shared/bridge-types';

const OUTCOME_LABELS: Record<CallOutcome, string> = {
  completed: 'Completed',
  busy: 'Busy',
  'no-answer': 'No answer',
  cancelled: 'Cancelled',
  unreachable: 'Unreachable',
  rejected: 'Rejected',
  'invalid-number': 'Invalid number',
  failed: 'Failed',
  'link-lost': 'Connection lost',
};

export function outcomeLabel(outcome: CallOutcome | null): string {
  return outcome ? OUTCOME_LABELS[outcome] : 'Ended';
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
