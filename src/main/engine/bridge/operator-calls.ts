import type { CallDirection, CallOutcome, CallView, PatriotCallStatus } from '../../../shared/bridge-types';
import type { PbxCallEvent } from '../pbx/adapter';

/** How many ended call ids are remembered, so a late event of an ended call cannot revive it. */
const REMEMBERED_ENDED = 256;

/**
 * The operator's live calls, keyed by the Bridge's own call ids (the adapter reports every event under
 * them). Patriot has no call id and sees one line, so its status is "any call alive", with direction and
 * number of the newest call. An `ended` is final: later events of that id are ignored.
 */
export class OperatorCalls {
  private readonly live = new Map<string, CallView & { accepted: boolean }>();
  private readonly ended = new Set<string>();

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

  /** A dial the PBX has not accepted yet: shown in the window, not yet reported to Patriot as active. */
  beginDial(callId: string, profileId: string, number: string, source: string): void {
    const view = this.fresh(callId, profileId, 'outbound', number, 'dialing');
    view.source = source;
    this.live.set(callId, { ...view, accepted: false });
  }

  /** The PBX accepted the dial. False when the call is already over (it ended before the reply). */
  acceptDial(callId: string): boolean {
    const call = this.live.get(callId);
    if (!call) return false;
    call.accepted = true;
    return true;
  }

  /** Ends a call from the Bridge's side (dial failed, hung up before the PBX named it, not found). */
  finish(callId: string, outcome: CallOutcome, detail: string | null): CallView | null {
    const call = this.live.get(callId);
    if (!call) return null;
    this.live.delete(callId);
    this.remember(callId);
    const { accepted: _accepted, ...view } = call;
    return { ...view, phase: 'ended', endedAt: this.now(), outcome, detail };
  }

  /** Applies an adapter event; returns the ended call when the event ended one. */
  apply(event: PbxCallEvent, profileId: string): { changed: boolean; ended: CallView | null } {
    if (event.kind === 'ended') {
      const ended = this.finish(event.callId, event.outcome, event.detail ?? null);
      return { changed: ended !== null, ended };
    }
    if (this.ended.has(event.callId)) return { changed: false, ended: null };
    const call = this.live.get(event.callId);
    if (!call) {
      // A call the Bridge did not dial (inbound, or dialled on the desk phone).
      const view = this.fresh(event.callId, profileId, event.direction, event.remoteNumber, event.kind);
      if (event.kind === 'connected') view.connectedAt = view.startedAt;
      this.live.set(event.callId, { ...view, accepted: true });
      return { changed: true, ended: null };
    }
    const phase = event.kind;
    const wasAccepted = call.accepted;
    call.accepted = true;
    if (call.phase === 'connected' && phase === 'ringing') return { changed: !wasAccepted, ended: null };
    const changed =
      !wasAccepted || call.phase !== phase || (event.remoteNumber !== null && call.remoteNumber === null);
    call.phase = phase;
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

  private remember(callId: string): void {
    this.ended.add(callId);
    if (this.ended.size > REMEMBERED_ENDED) {
      const oldest = this.ended.values().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
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
