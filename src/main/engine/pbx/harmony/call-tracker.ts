// The operator's calls on the operator's Telephony channel: objectEvents → ringing / connected / ended.
// Only interactions under <session>.<channel> are followed; everything else is somebody else's.
import type { CallDirection, CallOutcome } from '../../../../shared/bridge-types';
import type { Logger } from '../../log/logger';
import type { PbxCallEvent } from '../adapter';
import type { HarmonyProtocol } from './profile';
import { atPath, segments, text, type Message } from './wire';

export interface TrackedCall {
  /** The Bridge's id: the dial's, or a fresh one for a call the Bridge did not place. */
  id: string;
  /** <session>.<channel>.<interaction> */
  readonly target: string;
  /** Targets of the interaction's live conversations. */
  readonly conversations: Set<string>;
  hadConversation: boolean;
  direction: CallDirection;
  remoteNumber: string | null;
  reported: 'none' | 'ringing' | 'connected' | 'ended';
  releasedByUs: boolean;
  /** Every state seen on the interaction or its conversations, in order, without repeats. */
  states: string[];
  /** A dial the Bridge gave up on: released at once, never reported. */
  silent: boolean;
}

/** One channel.dial of ours, waiting for its interaction. */
export interface OwnDial {
  readonly callId: string;
  readonly number: string;
  readonly sentAt: number;
  call: TrackedCall | null;
  accepted: boolean;
  abandoned: boolean;
  timer: NodeJS.Timeout | null;
}

export interface CallTrackerOptions {
  protocol: HarmonyProtocol;
  emit(event: PbxCallEvent): void;
  newCallId(): string;
  /** Release a call at the server (a late call of an abandoned dial). */
  release(call: TrackedCall): void;
  log: Logger;
}

export class CallTracker {
  private readonly calls = new Map<string, TrackedCall>();
  private dials: OwnDial[] = [];
  private prefix: string | null = null;
  private disposed = false;

  constructor(private readonly options: CallTrackerOptions) {}

  /** The operator's channel is <session>.<channel>: follow interactions under it. */
  follow(channelTarget: string): void {
    this.prefix = `${channelTarget}.`;
  }

  live(): TrackedCall[] {
    return [...this.calls.values()].filter((call) => call.reported !== 'ended');
  }

  byId(callId: string): TrackedCall | undefined {
    return this.live().find((call) => call.id === callId && !call.silent);
  }

  /** Our channel.dial went out: an outbound interaction in the next few seconds is this call. */
  dialSent(callId: string, number: string): OwnDial {
    const dial: OwnDial = {
      callId,
      number,
      sentAt: Date.now(),
      call: null,
      accepted: false,
      abandoned: false,
      timer: null,
    };
    dial.timer = setTimeout(() => this.dialWindowOver(dial), this.options.protocol.calls.ownDialWindowMs);
    this.dials.push(dial);
    return dial;
  }

  dialAccepted(dial: OwnDial): void {
    dial.accepted = true;
    // The response came after the window closed, and no interaction with it: same as dialWindowOver.
    if (!dial.timer && !dial.call) this.noInteraction(dial);
  }

  /** The server refused the dial: a call it still created for it ends as failed. */
  dialFailed(dial: OwnDial, detail: string): void {
    this.forget(dial);
    if (dial.call && dial.call.reported !== 'ended') this.end(dial.call, 'failed', detail);
  }

  /** The Bridge gave up on the dial: release its call now or when it shows up. */
  dialAbandoned(dial: OwnDial): void {
    dial.abandoned = true;
    const call = dial.call;
    if (call && call.reported !== 'ended') this.releaseAbandoned(call);
  }

  markReleased(call: TrackedCall): void {
    call.releasedByUs = true;
  }

  /** The call is gone at the server (release answered "not found"): end it here. */
  endLocally(call: TrackedCall, detail: string): void {
    if (call.reported !== 'ended')
      this.end(call, call.reported === 'connected' ? 'completed' : 'cancelled', detail);
    this.calls.delete(call.target);
  }

  /** Handles one objectEvent; returns false when the event is not one the tracker knows. */
  onEvent(name: string, target: string, message: Message): boolean {
    if (this.disposed) return true;
    const e = this.options.protocol.events;
    const known = [
      e.interactionCreated,
      e.interactionEnded,
      e.conversationCreated,
      e.conversationDisposed,
      e.stateUpdated,
    ].includes(name);
    if (!known) return false;
    // The channel's own state (e.g. ACTIVE while dialling) says nothing about a call.
    if (this.prefix && target === this.prefix.slice(0, -1)) return true;
    if (!this.prefix || !target.startsWith(this.prefix)) {
      this.options.log.debug('harmony event of another channel or agent ignored', { name, target });
      return true;
    }
    // Below the channel: <interaction>, <interaction>.<conversation>.
    const below = segments(target.slice(this.prefix.length));
    const interaction = this.prefix + below[0];
    switch (name) {
      case e.interactionCreated:
        if (below.length === 1) this.created(interaction, message);
        return true;
      case e.interactionEnded:
        this.ended(this.calls.get(interaction), name);
        return true;
      case e.conversationCreated: {
        const call = this.calls.get(interaction);
        if (call && below.length >= 2) {
          call.conversations.add(target);
          call.hadConversation = true;
        }
        return true;
      }
      case e.conversationDisposed: {
        const call = this.calls.get(interaction);
        if (!call) return true;
        call.conversations.delete(target);
        if (call.hadConversation && call.conversations.size === 0) this.ended(call, name);
        return true;
      }
      default:
        this.stateUpdated(this.calls.get(interaction), message);
        return true;
    }
  }

  /** Ends every live call (connection lost, stop) and forgets every dial. */
  dispose(outcome: CallOutcome, detail: string): void {
    for (const call of this.live()) this.end(call, outcome, detail);
    this.calls.clear();
    for (const dial of this.dials) if (dial.timer) clearTimeout(dial.timer);
    this.dials = [];
    this.disposed = true;
  }

  private created(target: string, message: Message): void {
    if (this.calls.has(target)) return;
    const { calls } = this.options.protocol;
    const direction = text(atPath(message, calls.directionPath));
    const inbound =
      direction !== undefined && direction.toLowerCase() === calls.inboundDirection.toLowerCase();
    const now = Date.now();
    const dial = inbound
      ? undefined
      : this.dials.find((d) => d.call === null && now - d.sentAt <= calls.ownDialWindowMs);
    const call: TrackedCall = {
      id: dial?.callId ?? this.options.newCallId(),
      target,
      conversations: new Set(),
      hadConversation: false,
      direction: inbound ? 'inbound' : 'outbound',
      remoteNumber: dial ? dial.number : inbound ? this.callerNumber(message) : null,
      reported: 'none',
      releasedByUs: false,
      states: [],
      silent: dial?.abandoned ?? false,
    };
    this.calls.set(target, call);
    if (dial) {
      dial.call = call;
      // Matched: its window has nothing left to wait for. Kept until it closed, each dial (and its call)
      // stayed reachable from a timer for ownDialWindowMs after the call was over.
      this.forget(dial);
      if (dial.abandoned) {
        this.releaseAbandoned(call);
        return;
      }
    }
    // A call is live from interaction.created.
    call.reported = 'ringing';
    this.emit(call, { kind: 'ringing', ...this.identity(call) });
  }

  private stateUpdated(call: TrackedCall | undefined, message: Message): void {
    if (!call || call.reported === 'ended') return;
    const { calls } = this.options.protocol;
    const state = text(atPath(message, calls.statePath));
    if (state === undefined) return;
    if (call.states.at(-1) !== state) call.states.push(state);
    if (call.silent) return;
    if (calls.connectedStates.includes(state) && call.reported !== 'connected') {
      call.reported = 'connected';
      this.emit(call, { kind: 'connected', ...this.identity(call) });
    } else if (calls.ringingStates.includes(state) && call.reported === 'none') {
      call.reported = 'ringing';
      this.emit(call, { kind: 'ringing', ...this.identity(call) });
    }
  }

  private ended(call: TrackedCall | undefined, eventName: string): void {
    if (!call) return;
    this.calls.delete(call.target);
    if (call.reported === 'ended') return;
    const { busyStates } = this.options.protocol.calls;
    const seen = call.states.length > 0 ? ` (states ${call.states.slice(-4).join(' → ')})` : '';
    const detail = `Harmony ${eventName}${seen}`;
    let outcome: CallOutcome;
    if (call.reported === 'connected') outcome = 'completed';
    else if (call.releasedByUs) outcome = 'cancelled';
    else if (call.states.some((state) => busyStates.includes(state))) outcome = 'busy';
    else if (call.direction === 'inbound') outcome = 'no-answer';
    else outcome = 'failed';
    this.end(call, outcome, detail);
  }

  private releaseAbandoned(call: TrackedCall): void {
    this.options.log.warn('harmony: releasing a call the operator was told had failed', {
      target: call.target,
    });
    call.releasedByUs = true;
    if (call.reported === 'none') call.silent = true;
    this.options.release(call);
  }

  private dialWindowOver(dial: OwnDial): void {
    dial.timer = null;
    this.forget(dial);
    if (dial.call || !dial.accepted || dial.abandoned) return;
    this.noInteraction(dial);
  }

  /** Accepted, but no interaction came: the Bridge must not wait for a call that does not exist. */
  private noInteraction(dial: OwnDial): void {
    this.options.emit({
      kind: 'ended',
      callId: dial.callId,
      outcome: 'failed',
      detail: 'The Harmony server accepted the dial but reported no interaction for it',
    });
  }

  private forget(dial: OwnDial): void {
    if (dial.timer) clearTimeout(dial.timer);
    dial.timer = null;
    this.dials = this.dials.filter((other) => other !== dial);
  }

  private callerNumber(message: Message): string | null {
    for (const path of this.options.protocol.calls.callerNumberPaths) {
      const value = text(atPath(message, path));
      if (value) return value;
    }
    return null;
  }

  private identity(call: TrackedCall): {
    callId: string;
    direction: CallDirection;
    remoteNumber: string | null;
  } {
    return { callId: call.id, direction: call.direction, remoteNumber: call.remoteNumber };
  }

  private end(call: TrackedCall, outcome: CallOutcome, detail: string): void {
    const silent = call.silent || call.reported === 'none';
    call.reported = 'ended';
    if (!silent) this.emit(call, { kind: 'ended', callId: call.id, outcome, detail });
  }

  private emit(_call: TrackedCall, event: PbxCallEvent): void {
    this.options.emit(event);
  }
}
