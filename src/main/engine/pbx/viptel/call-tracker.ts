import type { CallDirection, CallOutcome } from '../../../../shared/bridge-types';
import type { PbxCallEvent } from '../adapter';
import { outcomeOfCallEnd } from './call-status';
import type { ViptelFrame } from './protocol';

/** One live call of the operator. */
export interface TrackedCall {
  /** The adapter's stable id, whatever the PBX renames the call to. */
  readonly callId: string;
  readonly direction: CallDirection;
  readonly remoteNumber: string | null;
  /** Set for calls placed through call.create. */
  readonly callRandomId: string | null;
  /** The `to` of call.create. */
  readonly dialledNumber: string | null;
  /** The id call.hangup / call.redirect use: the latest one the PBX reported. */
  uniqueId: string | null;
  /** Every id the PBX used for this call. */
  readonly ids: Set<string>;
  /** Their parts after the dot (see `find`). */
  readonly sequences: Set<string>;
  phase: 'dialing' | 'ringing' | 'connected';
}

/**
 * Follows the operator's calls through VIPTel's PBX-wide event stream and turns them into PbxCallEvents.
 * The lookups that run for every event of the PBX (`involvesOperator`, `find`) allocate nothing.
 */
export class ViptelCallTracker {
  private readonly live = new Map<string, TrackedCall>();
  private readonly byUniqueId = new Map<string, TrackedCall>();
  private readonly byRandomId = new Map<string, TrackedCall>();
  private readonly extensionNumber: number | null;

  /** `newCallId`: the Bridge's id for a call the PBX started (inbound, dialled at the handset). */
  constructor(
    private readonly extension: string,
    private readonly newCallId: () => string,
  ) {
    this.extensionNumber = /^[0-9]{1,15}$/.test(extension) ? Number(extension) : null;
  }

  get size(): number {
    return this.live.size;
  }

  calls(): TrackedCall[] {
    return [...this.live.values()];
  }

  get(callId: string): TrackedCall | undefined {
    return this.live.get(callId);
  }

  /** caller or callee is the operator's extension (the spec types them as strings; numbers tolerated). */
  involvesOperator(frame: ViptelFrame): boolean {
    const { caller, callee } = frame;
    return (
      caller === this.extension ||
      callee === this.extension ||
      (this.extensionNumber !== null && (caller === this.extensionNumber || callee === this.extensionNumber))
    );
  }

  /** A call.create the adapter is about to send; the Bridge's call id doubles as call_random_id. */
  addDialled(callRandomId: string, number: string): TrackedCall {
    const call = this.track({
      callId: callRandomId,
      direction: 'outbound',
      remoteNumber: number,
      callRandomId,
      dialledNumber: number,
      phase: 'dialing',
    });
    this.byRandomId.set(callRandomId, call);
    return call;
  }

  /** `call.create_response` for one of our dials; null for other clients' calls. */
  createResponse(frame: ViptelFrame): TrackedCall | null {
    const randomId = frame.call_random_id;
    const call = typeof randomId === 'string' ? this.byRandomId.get(randomId) : undefined;
    if (!call) return null;
    const uniqueId = uniqueIdOf(frame);
    if (uniqueId !== null) this.addId(call, uniqueId);
    return call;
  }

  /** `call.begin` that involves the operator: a new call, or the next leg of one already followed. */
  begin(frame: ViptelFrame): PbxCallEvent | null {
    const uniqueId = uniqueIdOf(frame);
    // Without an id the call could never be matched to its pickup and end again.
    if (uniqueId === null) return null;
    const caller = numberText(frame.caller);
    const callee = numberText(frame.callee);
    const calledNumber = numberText(frame.called_number);
    const callerIsOperator = caller === this.extension;
    const known =
      this.find(uniqueId) ?? this.dialledCallFor(callerIsOperator, [caller, callee, calledNumber]);
    if (known) {
      this.addId(known, uniqueId);
      if (known.phase !== 'dialing') return null;
      known.phase = 'ringing';
      return ringing(known);
    }
    const call = this.track({
      callId: this.newCallId(),
      direction: callerIsOperator ? 'outbound' : 'inbound',
      // Outbound from the handset: the callee, or for queue calls the number dialled.
      remoteNumber: callerIsOperator ? (callee ?? calledNumber) : caller,
      callRandomId: null,
      dialledNumber: null,
      phase: 'ringing',
    });
    this.addId(call, uniqueId);
    return ringing(call);
  }

  pickup(call: TrackedCall, frame: ViptelFrame): PbxCallEvent | null {
    this.noteId(call, frame);
    if (call.phase === 'connected') return null;
    call.phase = 'connected';
    return {
      kind: 'connected',
      callId: call.callId,
      direction: call.direction,
      remoteNumber: call.remoteNumber,
    };
  }

  end(call: TrackedCall, frame: ViptelFrame): PbxCallEvent {
    const status = frame.status;
    return this.endCall(call, outcomeOfCallEnd(status), typeof status === 'string' ? status : undefined);
  }

  endCall(call: TrackedCall, outcome: CallOutcome, detail?: string): PbxCallEvent {
    this.forget(call);
    return detail === undefined
      ? { kind: 'ended', callId: call.callId, outcome }
      : { kind: 'ended', callId: call.callId, outcome, detail };
  }

  /** Ends every live call (link lost, adapter stopped). */
  endAll(outcome: CallOutcome, detail: string): PbxCallEvent[] {
    return this.calls().map((call) => this.endCall(call, outcome, detail));
  }

  /** Stops following a call without an event (a dial the PBX never accepted). */
  forget(call: TrackedCall): void {
    this.live.delete(call.callId);
    for (const id of call.ids) this.byUniqueId.delete(id);
    if (call.callRandomId !== null) this.byRandomId.delete(call.callRandomId);
  }

  /**
   * The live call a `unique_id` belongs to. Ids are "number.number", and the spec's own example ends a
   * call whose create_response said "14550.679" with call.end "1453466550.679": the part after the dot
   * survives the renaming, so it is matched when the whole id is unknown. Allocation-free; skipped when
   * no call is live (the usual case for the PBX's firehose).
   */
  find(id: unknown): TrackedCall | undefined {
    if (this.live.size === 0) return undefined;
    const uniqueId = typeof id === 'number' ? String(id) : id;
    if (typeof uniqueId !== 'string') return undefined;
    const exact = this.byUniqueId.get(uniqueId);
    if (exact) return exact;
    const dot = uniqueId.lastIndexOf('.');
    if (dot < 0) return undefined;
    const sequenceLength = uniqueId.length - dot - 1;
    for (const call of this.live.values()) {
      for (const sequence of call.sequences) {
        if (sequence.length === sequenceLength && uniqueId.endsWith(sequence)) return call;
      }
    }
    return undefined;
  }

  /**
   * A call.begin whose id we do not know may still be the leg of a call we dialled (its id can change
   * at any time): it is, when it names the dialled number, or when the operator is the caller and a dial
   * still waits for its first call.begin (the PBX may have rewritten the number).
   */
  private dialledCallFor(callerIsOperator: boolean, numbers: (string | null)[]): TrackedCall | undefined {
    let oldestWaiting: TrackedCall | undefined;
    for (const call of this.byRandomId.values()) {
      if (call.dialledNumber !== null && numbers.includes(call.dialledNumber)) return call;
      if (!oldestWaiting && call.phase === 'dialing') oldestWaiting = call;
    }
    return callerIsOperator ? oldestWaiting : undefined;
  }

  private noteId(call: TrackedCall, frame: ViptelFrame): void {
    const uniqueId = uniqueIdOf(frame);
    if (uniqueId !== null) this.addId(call, uniqueId);
  }

  /** Records an id of the call; the latest one seen is the one actions use. */
  private addId(call: TrackedCall, uniqueId: string): void {
    call.uniqueId = uniqueId;
    if (call.ids.has(uniqueId)) return;
    call.ids.add(uniqueId);
    this.byUniqueId.set(uniqueId, call);
    const dot = uniqueId.lastIndexOf('.');
    if (dot >= 0 && dot < uniqueId.length - 1) call.sequences.add(uniqueId.slice(dot + 1));
  }

  private track(fields: Omit<TrackedCall, 'uniqueId' | 'ids' | 'sequences'>): TrackedCall {
    const call: TrackedCall = { ...fields, uniqueId: null, ids: new Set(), sequences: new Set() };
    this.live.set(call.callId, call);
    return call;
  }
}

function ringing(call: TrackedCall): PbxCallEvent {
  return { kind: 'ringing', callId: call.callId, direction: call.direction, remoteNumber: call.remoteNumber };
}

/** The spec types unique_id as a string; a number is tolerated. */
function uniqueIdOf(frame: ViptelFrame): string | null {
  const id = frame.unique_id;
  if (typeof id === 'string') return id === '' ? null : id;
  return typeof id === 'number' ? String(id) : null;
}

/** Phone numbers arrive as strings (queue.join's caller may be an integer). */
function numberText(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  return typeof value === 'number' ? String(value) : null;
}
