import type { CallOutcome } from '../../../../shared/bridge-types';

/** `call.end` status values of API 1.0.8 and what each means for the operator's call. */
export const CALL_END_OUTCOMES: ReadonlyMap<string, CallOutcome> = new Map<string, CallOutcome>([
  ['answer', 'completed'], // answered, then hung up
  ['busy', 'busy'], // busy, or refused by the callee
  ['noanswer', 'no-answer'], // rang, not answered in time
  ['cancel', 'cancelled'], // the caller hung up before the answer
  ['congestion', 'invalid-number'], // "volané číslo nebolo rozpoznané": the number was not recognised
  ['chanunavail', 'unreachable'], // the callee is not registered
  ['dontcall', 'rejected'], // the callee refused the call
  ['invalidargs', 'invalid-number'], // the number was in a wrong format
]);

/** The spec warns wording may vary with the target system: unknown values count as 'failed'. */
export function outcomeOfCallEnd(status: unknown): CallOutcome {
  if (typeof status !== 'string') return 'failed';
  return CALL_END_OUTCOMES.get(status.trim().toLowerCase()) ?? 'failed';
}
