import type { CallOutcome } from './bridge-types';

/** Operator-facing words for a call outcome, shared by notices, the log and the window. */
export const CALL_OUTCOME_TEXT: Record<CallOutcome, string> = {
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

/** Outcomes of an outbound call that mean the call did not go through. */
export function isFailedOutcome(outcome: CallOutcome): boolean {
  return outcome !== 'completed' && outcome !== 'cancelled';
}
