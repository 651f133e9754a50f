import type { BridgeSnapshot, CallView } from '../../../shared/bridge-types';
import { CALL_OUTCOME_TEXT, isFailedOutcome } from '../../../shared/call-outcome-text';
import type { BridgeController } from '../bridge/controller';
import type { StepResult } from './step-result';
import { waitForSnapshot } from './wait-for-snapshot';

export const TEST_DIAL_SOURCE = 'site-check';

export type DialBridge = Pick<BridgeController, 'snapshot' | 'subscribe' | 'dial' | 'hangup'>;

/**
 * Step (d): one call through the normal dial path (dial rules, rate limit, call log), followed until it
 * is answered or ends; a call still ringing after `timeoutMs` is hung up.
 */
export async function testDial(bridge: DialBridge, number: string, timeoutMs: number): Promise<StepResult> {
  const before = bridge.snapshot();
  if (before.pbx.link.status !== 'online') {
    return { status: 'skipped', detail: `Not dialled: the PBX is not online.` };
  }
  if (before.calls.length > 0) {
    return {
      status: 'skipped',
      detail: 'Not dialled: a call is in progress (the test dial would replace it).',
    };
  }
  const previousEnded = before.lastEndedCall;
  const placed = await bridge.dial(number, TEST_DIAL_SOURCE);
  if (!placed.ok) return { status: 'failed', detail: `Call to ${number} was not placed: ${placed.message}` };

  const ended = (s: BridgeSnapshot) => endedTestCall(s, previousEnded);
  const { snapshot } = await waitForSnapshot(
    bridge,
    (s) => ended(s) !== null || liveTestCall(s)?.phase === 'connected',
    timeoutMs,
  );
  const over = ended(snapshot);
  if (over) return describeEnded(number, over);
  const live = liveTestCall(snapshot);
  if (live?.phase === 'connected') {
    return {
      status: 'passed',
      detail: `Call to ${number} placed and answered (still connected: hang up when done).`,
    };
  }
  await bridge.hangup(TEST_DIAL_SOURCE);
  return {
    status: 'failed',
    detail: `Call to ${number} placed but not answered within ${duration(timeoutMs)} (${live?.phase ?? 'gone'}); hung up.`,
  };
}

function liveTestCall(snapshot: BridgeSnapshot): CallView | undefined {
  return snapshot.calls.find((call) => call.source === TEST_DIAL_SOURCE);
}

function endedTestCall(snapshot: BridgeSnapshot, previous: CallView | null): CallView | null {
  const last = snapshot.lastEndedCall;
  if (!last || last.source !== TEST_DIAL_SOURCE || last.id === previous?.id) return null;
  return last;
}

function describeEnded(number: string, call: CallView): StepResult {
  const why = call.outcome ? CALL_OUTCOME_TEXT[call.outcome] : 'ended';
  const detail = call.detail ? ` (${call.detail})` : '';
  if (call.connectedAt !== null) {
    return { status: 'passed', detail: `Call to ${number} placed, answered and ended: ${why}${detail}.` };
  }
  if (call.outcome && isFailedOutcome(call.outcome)) {
    return { status: 'failed', detail: `Call to ${number} placed but failed: ${why}${detail}.` };
  }
  return { status: 'failed', detail: `Call to ${number} ended before it was answered: ${why}${detail}.` };
}

function duration(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
