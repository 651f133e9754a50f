// The operator's calls on one RCC connection: CallInfo → ringing / connected / ended events.
import type { CallDirection, CallOutcome } from '../../../../shared/bridge-types';
import type { Logger } from '../../log/logger';
import type { PbxCallEvent } from '../adapter';
import { directionOf, outcomeOf, phaseOf } from './call-info';
import { connectorNumber, type CallCause, type CallInfoRecord } from './wire';

export interface TrackedCall {
  /** The Bridge's id: the dial's, or a fresh one for calls the Bridge did not place. */
  id: string;
  readonly handle: number;
  /** Placed by our own UserCall: outbound whatever the state bit says (callback-style devices). */
  ours: boolean;
  direction: CallDirection;
  remoteNumber: string | null;
  reported: 'none' | 'ringing' | 'connected' | 'ended';
  clearedByUs: boolean;
  lastCause?: CallCause;
  progressTimer: NodeJS.Timeout | null;
}

export interface CallTrackerOptions {
  emit(event: PbxCallEvent): void;
  /** The Bridge's id for a call it did not dial. */
  newCallId(): string;
  log: Logger;
  /** An accepted dial that shows no CallInfo by then ends as failed. */
  progressTimeoutMs: number;
}

export class CallTracker {
  private readonly calls = new Map<number, TrackedCall>();
  private pendingDials = 0;
  /** CallInfo of unknown calls that arrived while a UserCall was pending: it may be that call's. */
  private early: CallInfoRecord[] = [];
  private disposed = false;

  constructor(private readonly options: CallTrackerOptions) {}

  /** Calls not ended yet. */
  live(): TrackedCall[] {
    return [...this.calls.values()].filter((call) => call.reported !== 'ended');
  }

  byId(callId: string): TrackedCall | undefined {
    return this.live().find((call) => call.id === callId);
  }

  get dialPending(): boolean {
    return this.pendingDials > 0;
  }

  dialStarted(): void {
    this.pendingDials += 1;
  }

  /**
   * UserCallResult gave `handle`: the call is ours, under the Bridge's `callId`. CallInfo that came
   * before the result was held (see `early`) and is replayed now, so every event carries `callId`.
   */
  dialAccepted(handle: number, dialled: string, callId: string): void {
    this.pendingDials = Math.max(0, this.pendingDials - 1);
    const known = this.calls.get(handle);
    if (known) {
      known.ours = true;
      known.direction = 'outbound';
      if (known.reported === 'none') known.id = callId;
      return;
    }
    const call = this.create(handle, { ours: true, direction: 'outbound', remoteNumber: dialled }, callId);
    call.progressTimer = setTimeout(() => {
      call.progressTimer = null;
      this.end(call, {
        outcome: 'failed',
        detail: 'The PBX accepted the call but reported no progress on it',
      });
      this.calls.delete(handle);
    }, this.options.progressTimeoutMs);
    this.replayEarly((info) => info.call === handle);
  }

  /** The UserCall failed or timed out. */
  dialSettled(): void {
    this.pendingDials = Math.max(0, this.pendingDials - 1);
    this.replayEarly(() => true);
  }

  markClearing(call: TrackedCall): void {
    call.clearedByUs = true;
  }

  onCallInfo(info: CallInfoRecord): void {
    if (this.disposed) return;
    let call = this.calls.get(info.call);
    if (!call) {
      if (this.pendingDials > 0) {
        this.early.push(info);
        return;
      }
      const phase = phaseOf(info);
      if (phase === 'ending' || phase === 'gone') {
        this.options.log.debug('innovaphone CallInfo for a call never seen alive', { call: info.call });
        return;
      }
      call = this.create(info.call, {
        ours: false,
        direction: directionOf(info.state),
        remoteNumber: connectorNumber(info.peer),
      });
    }
    this.apply(call, info);
  }

  /** Ends every live call (connection lost, user gone, stop) and forgets them all. */
  endAll(outcome: CallOutcome, detail: string): void {
    for (const call of this.live()) this.end(call, { outcome, detail });
    this.calls.clear();
    this.early = [];
    this.pendingDials = 0;
  }

  /** endAll, then ignore everything: the connection this tracker belonged to is gone. */
  dispose(outcome: CallOutcome, detail: string): void {
    this.endAll(outcome, detail);
    this.disposed = true;
  }

  private create(
    handle: number,
    init: { ours: boolean; direction: CallDirection; remoteNumber: string | null },
    id = this.options.newCallId(),
  ): TrackedCall {
    const call: TrackedCall = {
      id,
      handle,
      ...init,
      reported: 'none',
      clearedByUs: false,
      progressTimer: null,
    };
    this.calls.set(handle, call);
    return call;
  }

  private replayEarly(which: (info: CallInfoRecord) => boolean): void {
    const replay = this.early.filter(which);
    if (replay.length === 0) return;
    this.early = this.early.filter((info) => !which(info));
    for (const info of replay) this.onCallInfo(info);
  }

  private apply(call: TrackedCall, info: CallInfoRecord): void {
    if (call.progressTimer) {
      clearTimeout(call.progressTimer);
      call.progressTimer = null;
    }
    call.remoteNumber = connectorNumber(info.peer) ?? call.remoteNumber;
    if (info.cause) call.lastCause = info.cause;
    const phase = phaseOf(info);
    if (phase === 'gone' || phase === 'ending') {
      if (call.reported !== 'ended') {
        const { outcome, detail } = outcomeOf({
          direction: call.direction,
          connected: call.reported === 'connected',
          clearedByUs: call.clearedByUs,
          cause: call.lastCause,
          msg: info.msg === 'del' ? undefined : info.msg,
        });
        this.end(call, { outcome, detail });
      }
      // Keep an ending call's record until its end marker, so late CallInfo does not revive it.
      if (phase === 'gone') this.calls.delete(call.handle);
      return;
    }
    if (call.reported === 'ended') return;
    const ringing = phase === 'ringing' || (phase === 'setup' && call.direction === 'inbound' && !call.ours);
    if (phase === 'connected' && call.reported !== 'connected') {
      call.reported = 'connected';
      this.emit(call, { kind: 'connected', ...this.identity(call) });
    } else if (ringing && call.reported === 'none') {
      call.reported = 'ringing';
      this.emit(call, { kind: 'ringing', ...this.identity(call) });
    }
  }

  private identity(call: TrackedCall): {
    callId: string;
    direction: CallDirection;
    remoteNumber: string | null;
  } {
    return { callId: call.id, direction: call.direction, remoteNumber: call.remoteNumber };
  }

  private end(call: TrackedCall, how: { outcome: CallOutcome; detail: string }): void {
    if (call.progressTimer) clearTimeout(call.progressTimer);
    call.progressTimer = null;
    call.reported = 'ended';
    this.emit(call, { kind: 'ended', callId: call.id, outcome: how.outcome, detail: how.detail });
  }

  private emit(_call: TrackedCall, event: PbxCallEvent): void {
    this.options.emit(event);
  }
}
