import type { BridgeSnapshot } from '../../shared/bridge-types';

/** Stays while the call log cannot be written (not dismissable: calls are going unrecorded). */
export function CallLogWarning({ problem }: { problem: BridgeSnapshot['callLogProblem'] }) {
  if (!problem) return null;
  return (
    <section class="banner tone-error" role="alert" aria-label="Call log problem">
      <p class="notice-title">Calls are not being logged</p>
      <p class="notice-message">{problem}</p>
    </section>
  );
}
