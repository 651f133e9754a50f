import { useRef } from 'preact/hooks';
import type { CallView } from '../../shared/bridge-types';
import { findEndedCalls } from '../logic/call-display';

export interface EndedCalls {
  /** The last call that ended, for the call card. */
  lastEnded: CallView | null;
  /** Grows by one each time calls end: a key to refresh the call log. */
  endedCount: number;
}

interface Memory extends EndedCalls {
  calls: CallView[];
}

/**
 * Notices calls that end (or disappear) between snapshots. Worked out while rendering, so the card never
 * flickers to "No call". The bridge's own record of the last ended call carries the outcome and reason.
 */
export function useEndedCalls(
  calls: CallView[] | undefined,
  bridgeEnded: CallView | null = null,
): EndedCalls {
  const memory = useRef<Memory>({ calls: [], lastEnded: null, endedCount: 0 });
  if (calls && calls !== memory.current.calls) {
    const ended = findEndedCalls(memory.current.calls, calls, Date.now()).map((call) =>
      bridgeEnded && bridgeEnded.id === call.id ? bridgeEnded : call,
    );
    // A dial refused before it became a call never appeared live: the bridge's record is all there is.
    if (
      bridgeEnded &&
      bridgeEnded.id !== memory.current.lastEnded?.id &&
      !ended.some((c) => c.id === bridgeEnded.id)
    ) {
      ended.push(bridgeEnded);
    }
    const newest = ended.reduce<CallView | null>(
      (latest, call) => (!latest || (call.endedAt ?? 0) >= (latest.endedAt ?? 0) ? call : latest),
      null,
    );
    memory.current = newest
      ? { calls, lastEnded: newest, endedCount: memory.current.endedCount + 1 }
      : { ...memory.current, calls };
  }
  return { lastEnded: memory.current.lastEnded, endedCount: memory.current.endedCount };
}
