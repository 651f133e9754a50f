// last_event_data of a hung-up channel ("<recv|send>_<bye|cancel|refuse>,<FreeSWITCH cause>") → outcome.
import type { CallOutcome } from '../../../../shared/bridge-types';

const BY_CAUSE: Record<string, { outcome: CallOutcome; words: string }> = {
  USER_BUSY: { outcome: 'busy', words: 'Busy' },
  NO_ANSWER: { outcome: 'no-answer', words: 'No answer' },
  NO_USER_RESPONSE: { outcome: 'no-answer', words: 'No answer' },
  ORIGINATOR_CANCEL: { outcome: 'cancelled', words: 'Cancelled before it was answered' },
  LOSE_RACE: { outcome: 'cancelled', words: 'Answered elsewhere' },
  PICKED_OFF: { outcome: 'cancelled', words: 'Picked up elsewhere' },
  CALL_REJECTED: { outcome: 'rejected', words: 'Rejected' },
  UNALLOCATED_NUMBER: { outcome: 'invalid-number', words: 'The number does not exist' },
  INVALID_NUMBER_FORMAT: { outcome: 'invalid-number', words: 'Invalid number' },
  NO_ROUTE_DESTINATION: { outcome: 'unreachable', words: 'No route to the number' },
  DESTINATION_OUT_OF_ORDER: { outcome: 'unreachable', words: 'The destination is out of order' },
  NETWORK_OUT_OF_ORDER: { outcome: 'unreachable', words: 'Network out of order' },
  USER_NOT_REGISTERED: { outcome: 'unreachable', words: 'The phone is not registered' },
  SUBSCRIBER_ABSENT: { outcome: 'unreachable', words: 'The phone is not registered' },
};

/** How a call ended, from the cause of the leg that ended it; `connected`: it had been answered. */
export function outcomeOfHangup(
  lastEventData: string | undefined,
  connected: boolean,
): { outcome: CallOutcome; detail: string } {
  const cause = lastEventData?.split(',')[1]?.trim();
  const known = cause ? BY_CAUSE[cause] : undefined;
  if (connected) {
    // Once answered, any clearing is a completed call; the cause stays in the detail.
    return { outcome: 'completed', detail: lastEventData ? `Call ended (${lastEventData})` : 'Call ended' };
  }
  if (known) return { outcome: known.outcome, detail: `${known.words} (${lastEventData})` };
  if (cause === 'NORMAL_CLEARING')
    return { outcome: 'cancelled', detail: `Ended before it was answered (${lastEventData})` };
  return {
    outcome: 'failed',
    detail: lastEventData
      ? `The call ended before it was answered (${lastEventData})`
      : 'The call ended before it was answered',
  };
}
