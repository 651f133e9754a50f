import type { CallDirection, CallOutcome, CallView, PatriotCallStatus } from '../../../shared/bridge-types';
import type { PbxCallEvent } from '../pbx/adapter';

/**
 * The operator's live calls, derived from adapter events. Patriot has no call id and sees one line, so
 * its status is "any call alive", with direction and number of the newest call.
 */
export class OperatorCalls {
  private readonly live = new Map<string, CallView & { accepted: boolean }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Live calls, newest first. */
  list(): CallView[] {
    return [...this.live.values()].reverse().map(({ accepted: _accepted, ...view }) => view);
  }

  get size(): number {
    return this.live.size;
  }

  has(callId: string): boolean {
    return this.live.has(callId);
  }

  /** A dial the PBX has not accepted yet: shown in the window, not yet reported to Patriot. */
  beginDial(callId: string, profileId: string, number: string): void {
    this.live.set(callId, {
      ...this.fresh(callId, profileId, 'outbound', number, 'dialing'),
      accepted: false,
    });
  }

  /**
   * The PBX accepted the dial and named the call `pbxCallId`. If the adapter already reported that call
   * (events can overtake the accept), the provisional entry is dropped in favour of it.
   */
  acceptDial(provisionalId: string, pbxCallId: string): void {
    const pending = this.live.get(provisionalId);
    if (!pending) return;
    this.live.delete(provisionalId);
    const existing = this.live.get(pbxCallId);
    if (existing) {
      existing.direction = 'outbound';
      existing.remoteNumber = pending.remoteNumber;
      return;
    }
    this.live.set(pbxCallId, { ...pending, id: pbxCallId, accepted: true });
  }

  /** Removes a dial that never became a call; returns it as ended for the call log. */
  failDial(provisionalId: string, outcome: CallOutcome, detail: string): CallView | null {
    return this.finish(provisionalId, outcome, detail);
  }

  /** Applies an adapter event; returns the ended call when the event ended one. */
  apply(event: PbxCallEvent, profileId: string): { changed: boolean; ended: CallView | null } {
    const call = this.live.get(event.callId);
    if (event.kind === 'ended') {
      const ended = this.finish(event.callId, event.outcome, event.detail ?? null);
      return { changed: ended !== null, ended };
    }
    if (!call) {
      const view = this.fresh(event.callId, profileId, event.direction, event.remoteNumber, event.kind);
      if (event.kind === 'connected') view.connectedAt = view.startedAt;
      this.live.set(event.callId, { ...view, accepted: true });
      return { changed: true, ended: null };
    }
    const phase = event.kind;
    const changed = call.phase !== phase || (event.remoteNumber !== null && call.remoteNumber === null);
    if (call.phase === 'connected' && phase === 'ringing') return { changed: false, ended: null };
    call.phase = phase;
    call.accepted = true;
    if (call.remoteNumber === null) call.remoteNumber = event.remoteNumber;
    if (phase === 'connected' && call.connectedAt === null) call.connectedAt = this.now();
    return { changed, ended: null };
  }

  /** Ends every live call (profile switch, PBX link lost, shutdown). */
  endAll(outcome: CallOutcome, detail: string): CallView[] {
    return [...this.live.keys()]
      .map((id) => this.finish(id, outcome, detail))
      .filter((call): call is CallView => call !== null);
  }

  patriotStatus(): PatriotCallStatus {
    let newest: CallView | null = null;
    for (const call of this.live.values()) if (call.accepted) newest = call;
    if (!newest) return { callActive: false };
    const status: PatriotCallStatus = { callActive: true, outbound: newest.direction === 'outbound' };
    if (newest.remoteNumber) status.callerId = newest.remoteNumber;
    return status;
  }

  private finish(callId: string, outcome: CallOutcome, detail: string | null): CallView | null {
    const call = this.live.get(callId);
    if (!call) return null;
    this.live.delete(callId);
    const { accepted: _accepted, ...view } = call;
    return { ...view, phase: 'ended', endedAt: this.now(), outcome, detail };
  }

  private fresh(
    id: string,
    profileId: string,
    direction: CallDirection,
    remoteNumber: string | null,
    phase: CallView['phase'],
  ): CallView {
    return {
      id,
      profileId,
      direction,
      phase,
      remoteNumber,
      startedAt: this.now(),
      connectedAt: null,
      endedAt: null,
      outcome: null,
      detail: null,
    };
  }
}
