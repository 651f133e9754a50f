// The operator's calls from Basix channel events. One call is one or more channels (the operator's leg,
// and before it exists the leg ringing them), joined by other_uuid. Bridge ids: a dial's channels carry
// the dial's id from their first event (events that beat call_user's reply are held until it comes).
import type { CallDirection, CallOutcome } from '../../../../shared/bridge-types';
import type { Logger } from '../../log/logger';
import type { PbxCallEvent } from '../adapter';
import type { ChannelFacts } from './channel-record';
import { outcomeOfHangup } from './hangup-cause';

/**
 * One channel event the tracker follows. `relation`: 'own' = the operator's leg (user_id); 'ringing' = a
 * leg still calling the operator (their leg may not exist yet); 'linked' = neither, but bridged to or
 * created for a followed leg (other_uuid): it tells why a call ended, never whether it is live.
 */
export interface ChannelChange {
  facts: ChannelFacts;
  relation: 'own' | 'ringing' | 'linked';
  removed: boolean;
}

export interface BasixCall {
  id: string;
  ours: boolean;
  direction: CallDirection;
  remoteNumber: string | null;
  /** Live channels of the call, by uuid. */
  readonly legs: Map<string, ChannelChange>;
  /** call_user's uuids not seen yet. */
  readonly awaited: Set<string>;
  reported: 'none' | 'ringing' | 'connected' | 'ended';
  lastCause?: string;
  clearedByUs: boolean;
  progressTimer: NodeJS.Timeout | null;
}

export interface CallTrackerOptions {
  emit(event: PbxCallEvent): void;
  newCallId(): string;
  log: Logger;
  /** An accepted dial whose channels have not shown up by then ends as failed. */
  progressTimeoutMs: number;
}

export class BasixCallTracker {
  private readonly byUuid = new Map<string, BasixCall>();
  private pendingDials = 0;
  /** Changes of unknown channels while a call_user is in flight: they may be that call's. */
  private early: ChannelChange[] = [];
  private readonly earlyUuids = new Set<string>();
  /** While call_user's reply is replayed without uuids: picks the dial's legs. */
  private claimer: ((change: ChannelChange) => BasixCall | undefined) | null = null;
  private disposed = false;

  constructor(private readonly options: CallTrackerOptions) {}

  /** True when some channel is followed (the adapter then looks up every channel event's uuid). */
  get following(): boolean {
    return this.byUuid.size > 0 || this.pendingDials > 0;
  }

  /** Whether a channel that does not concern the operator still matters: a followed leg or linked to one. */
  isRelated(uuid: string | undefined, otherUuid: string | undefined): boolean {
    const known = (id: string | undefined) =>
      id !== undefined && (this.byUuid.has(id) || this.earlyUuids.has(id));
    return known(uuid) || known(otherUuid);
  }

  live(): BasixCall[] {
    return [...new Set(this.byUuid.values())].filter((call) => call.reported !== 'ended');
  }

  byId(callId: string): BasixCall | undefined {
    return this.live().find((call) => call.id === callId);
  }

  /** uuids to hang up for a call: its live legs, and the ones call_user announced but not shown yet. */
  uuidsOf(call: BasixCall): string[] {
    return [...new Set([...call.legs.keys(), ...call.awaited])];
  }

  dialStarted(): void {
    this.pendingDials += 1;
  }

  /** call_user succeeded with the user's leg uuids: those channels are the Bridge's `callId`. */
  dialAccepted(uuids: readonly string[], dialled: string, callId: string): BasixCall {
    this.pendingDials = Math.max(0, this.pendingDials - 1);
    const call: BasixCall = {
      id: callId,
      ours: true,
      direction: 'outbound',
      remoteNumber: dialled,
      legs: new Map(),
      awaited: new Set(uuids),
      reported: 'none',
      clearedByUs: false,
      progressTimer: null,
    };
    for (const uuid of uuids) this.byUuid.set(uuid, call);
    call.progressTimer = setTimeout(() => this.progressTimedOut(call), this.options.progressTimeoutMs);
    call.progressTimer.unref?.();
    // What came before the reply, in its order: the dial's legs now map to the call (by uuid, or when
    // Basix gave no uuids, the operator's API-originated legs).
    if (uuids.length === 0) {
      this.claimer = (change) => (change.relation === 'own' && change.facts.originated ? call : undefined);
    }
    try {
      this.replayEarly();
    } finally {
      this.claimer = null;
    }
    return call;
  }

  /** call_user failed: what was held is somebody else's call (or the operator's from the desk phone). */
  dialSettled(): void {
    this.pendingDials = Math.max(0, this.pendingDials - 1);
    this.replayEarly();
  }

  markClearing(call: BasixCall): void {
    call.clearedByUs = true;
  }

  onChange(change: ChannelChange): void {
    if (this.disposed) return;
    const { uuid, otherUuid } = change.facts;
    if (change.relation === 'linked') {
      const call = this.byUuid.get(uuid) ?? (otherUuid ? this.byUuid.get(otherUuid) : undefined);
      if (call) this.applyLinked(call, change);
      else if (this.pendingDials > 0) this.hold(change);
      return;
    }
    const call = this.byUuid.get(uuid) ?? this.claimer?.(change) ?? this.joinable(change);
    if (call) {
      this.apply(call, change);
      return;
    }
    if (this.pendingDials > 0) {
      // Held in order, ends included: a dial's whole life can come before call_user's reply.
      this.hold(change);
      return;
    }
    if (change.removed || change.facts.hungUp) return; // never seen alive: nothing to report
    this.apply(this.create(change), change);
  }

  /** A full channel list (initial_info again on the same connection): calls not in it are over. */
  replaceAll(changes: readonly ChannelChange[]): void {
    const present = new Set(changes.map((change) => change.facts.uuid));
    for (const call of this.live()) {
      for (const uuid of [...call.legs.keys()]) {
        if (!present.has(uuid)) this.apply(call, { ...call.legs.get(uuid)!, removed: true });
      }
    }
    for (const change of changes) this.onChange(change);
  }

  /** Ends every live call (connection lost, operator gone, stop) and forgets them all. */
  endAll(outcome: CallOutcome, detail: string): void {
    for (const call of this.live()) this.end(call, { outcome, detail });
    this.byUuid.clear();
    this.early = [];
    this.earlyUuids.clear();
    this.pendingDials = 0;
  }

  dispose(outcome: CallOutcome, detail: string): void {
    this.endAll(outcome, detail);
    this.disposed = true;
  }

  /** A new leg of a call we follow: its other_uuid is one of the call's, or one of the call's points at it. */
  private joinable(change: ChannelChange): BasixCall | undefined {
    const { uuid, otherUuid } = change.facts;
    const linked = otherUuid ? this.byUuid.get(otherUuid) : undefined;
    if (linked && linked.reported !== 'ended') return linked;
    for (const call of this.live()) {
      for (const leg of call.legs.values()) if (leg.facts.otherUuid === uuid) return call;
    }
    return undefined;
  }

  private create(change: ChannelChange): BasixCall {
    return {
      id: this.options.newCallId(),
      ours: false,
      direction: directionOf(change),
      remoteNumber: peerNumber(change) ?? null,
      legs: new Map(),
      awaited: new Set(),
      reported: 'none',
      clearedByUs: false,
      progressTimer: null,
    };
  }

  private apply(call: BasixCall, change: ChannelChange): void {
    const { uuid, hungUp, lastEventData } = change.facts;
    if (call.reported === 'ended') return;
    const gone = change.removed || hungUp;
    call.awaited.delete(uuid);
    if (lastEventData && gone) call.lastCause ??= lastEventData;
    if (gone) {
      call.legs.delete(uuid);
      this.byUuid.delete(uuid);
    } else {
      call.legs.set(uuid, change);
      this.byUuid.set(uuid, call);
    }
    if (call.legs.size === 0) {
      if (call.awaited.size > 0) return; // call_user's other legs are still to come
      this.finish(call);
      return;
    }
    if (call.progressTimer) {
      clearTimeout(call.progressTimer);
      call.progressTimer = null;
    }
    if (!call.ours) call.remoteNumber = peerNumber(change) ?? call.remoteNumber;
    const connected = [...call.legs.values()].some(isConnected);
    if (connected && call.reported !== 'connected') {
      call.reported = 'connected';
      this.options.emit({ kind: 'connected', ...identity(call) });
    } else if (!connected && call.reported === 'none') {
      call.reported = 'ringing';
      this.options.emit({ kind: 'ringing', ...identity(call) });
    }
  }

  /** A linked leg: its end gives the cause (the first cause wins); a followed leg that became linked leaves. */
  private applyLinked(call: BasixCall, change: ChannelChange): void {
    if (call.reported === 'ended') return;
    const { uuid, hungUp, lastEventData } = change.facts;
    if ((hungUp || change.removed) && lastEventData) call.lastCause ??= lastEventData;
    if (!call.legs.delete(uuid)) return;
    this.byUuid.delete(uuid);
    if (call.legs.size === 0 && call.awaited.size === 0) this.finish(call);
  }

  private hold(change: ChannelChange): void {
    this.early.push(change);
    this.earlyUuids.add(change.facts.uuid);
  }

  private finish(call: BasixCall): void {
    const how = outcomeOfHangup(call.lastCause, call.reported === 'connected');
    if (call.clearedByUs && call.reported !== 'connected') {
      how.outcome = 'cancelled';
      how.detail = 'Hung up before it was answered';
    }
    this.end(call, how);
    for (const [uuid, owner] of this.byUuid) if (owner === call) this.byUuid.delete(uuid);
  }

  private progressTimedOut(call: BasixCall): void {
    call.progressTimer = null;
    if (call.reported === 'ended' || call.legs.size > 0) {
      call.awaited.clear();
      return;
    }
    this.options.log.warn('Basix accepted the call but no channel of it appeared', { callId: call.id });
    this.end(call, { outcome: 'failed', detail: 'Basix accepted the call but reported no progress on it' });
    for (const [uuid, owner] of this.byUuid) if (owner === call) this.byUuid.delete(uuid);
  }

  /** Replays what was held, in order; with dials still pending, what is not claimed is held again. */
  private replayEarly(): void {
    const held = this.early;
    this.early = [];
    this.earlyUuids.clear();
    for (const change of held) this.onChange(change);
  }

  private end(call: BasixCall, how: { outcome: CallOutcome; detail: string }): void {
    if (call.progressTimer) clearTimeout(call.progressTimer);
    call.progressTimer = null;
    call.reported = 'ended';
    this.options.emit({ kind: 'ended', callId: call.id, outcome: how.outcome, detail: how.detail });
  }
}

/**
 * The operator's point of view (inferred from the README's definitions): their leg offered by the PBX
 * ('outbound') rings them, so it is an incoming call, unless the API created it (click-to-call); their leg
 * offered to the PBX ('inbound') is them dialling out; a leg still ringing them is incoming.
 */
function directionOf(change: ChannelChange): CallDirection {
  const { direction, originated } = change.facts;
  if (change.relation !== 'own') return 'inbound';
  if (direction === 'inbound' || originated) return 'outbound';
  return 'inbound';
}

function peerNumber(change: ChannelChange): string | undefined {
  const { facts } = change;
  if (facts.peerAddress) return facts.peerAddress;
  if (change.relation === 'own' && facts.direction === 'inbound') return facts.calledNumber;
  return facts.callingNumber;
}

/** An API-originated leg is answered when the operator picks up; the call is connected once bridged. */
function isConnected(change: ChannelChange): boolean {
  if (change.relation !== 'own') return change.facts.bridged;
  return change.facts.originated ? change.facts.bridged : change.facts.answered;
}

function identity(call: BasixCall): {
  callId: string;
  direction: CallDirection;
  remoteNumber: string | null;
} {
  return { callId: call.id, direction: call.direction, remoteNumber: call.remoteNumber };
}
