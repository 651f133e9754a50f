import type { BridgeSnapshot, CallView, LinkState } from '../../shared/bridge-types';
import { isEndedHoldActive } from './call-display';

function waitsForRetry(link: LinkState, now: number): boolean {
  return link.status === 'offline' && link.retryAt !== undefined && link.retryAt > now - 1000;
}

/** Whether anything on screen changes with time: a talk timer, a retry countdown, an ended call fading out. */
export function needsClock(
  snapshot: BridgeSnapshot | null,
  recentlyEnded: CallView | null,
  now: number,
): boolean {
  if (recentlyEnded && isEndedHoldActive(recentlyEnded, now)) return true;
  if (!snapshot) return false;
  return (
    snapshot.calls.some((call) => call.phase === 'connected') ||
    waitsForRetry(snapshot.pbx.link, now) ||
    waitsForRetry(snapshot.patriot.link, now)
  );
}
