// The simulator's channels and the call scripts that move them (FreeSWITCH-style legs, as Basix reports
// them): click-to-call from call_user, inbound calls from the PSTN, hang-ups by command or far end.
import { randomUUID } from 'node:crypto';
import type { Term } from './etf-terms';
import {
  bridgedState,
  callingPstn,
  callingUser,
  endUserInfo,
  microsNow,
  userTarget,
  type SimChannel,
  type SimUser,
} from './simulator-records';

/** How a click-to-call's destination (or the operator's own leg) behaves. */
export type SimOutcome = 'answer' | 'busy' | 'no-answer' | 'user-no-answer';

export interface SimCallDelays {
  /** call_user → the operator picks up their ringing leg (default 300 ms). */
  userAnswerMs: number;
  /** Operator answered → the destination leg appears (default 100 ms). */
  destRingMs: number;
  /** Destination ringing → answered (default 600 ms). */
  destAnswerMs: number;
  /** How long a no-answer rings before it is cancelled (default 1500 ms). */
  noAnswerMs: number;
}

export const DEFAULT_SIM_DELAYS: SimCallDelays = {
  userAnswerMs: 300,
  destRingMs: 100,
  destAnswerMs: 600,
  noAnswerMs: 1_500,
};

export type ChannelEvent = 'added' | 'updated' | 'removed';

export interface SimChannelBookOptions {
  delays: SimCallDelays;
  emit(channel: SimChannel, event: ChannelEvent): void;
  /** Leave out the `removed` event after a hang-up (Basix may not always send it: unknown). */
  omitRemoved: boolean;
}

interface SimCall {
  key: number;
  legs: Set<string>;
  ended: boolean;
}

export class SimChannelBook {
  private readonly channels = new Map<string, SimChannel>();
  private readonly callOf = new Map<string, SimCall>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextKey = 1;

  constructor(private readonly options: SimChannelBookOptions) {}

  /** Every live channel, in creation order (what initial_info sends). */
  live(): SimChannel[] {
    return [...this.channels.values()];
  }

  /** Calls with at least one live channel. */
  liveCalls(): number {
    return new Set([...this.callOf.values()].filter((call) => !call.ended && call.legs.size > 0)).size;
  }

  get(uuid: string): SimChannel | undefined {
    return this.channels.get(uuid);
  }

  /** call_user: ring the operator's leg, then the destination. Returns the operator's leg uuid. */
  clickToCall(user: SimUser, destination: string, outcome: SimOutcome): string {
    const call = this.newCall();
    const uLeg = this.add(call, {
      direction: 'outbound',
      peer_location: 'internal',
      calling_name: destination,
      calling_number: destination,
      called_number: user.extension,
      offer_timestamp: microsNow(),
      user_id: user.id,
      state: callingUser(user.id),
      origination: `call_user*${encodeURIComponent(user.name)}*${encodeURIComponent(destination)}`,
      last_event: 'CHANNEL_ORIGINATE',
    });
    const { delays } = this.options;
    if (outcome === 'user-no-answer') {
      this.step(call, delays.noAnswerMs, () => this.endCall(call, 'send_cancel,NO_ANSWER'));
      return uLeg.uuid;
    }
    this.step(call, delays.userAnswerMs, () => {
      this.update(uLeg, { answer_timestamp: microsNow(), last_event: 'CHANNEL_ANSWER' });
      this.step(call, delays.destRingMs, () => {
        const dLeg = this.add(call, {
          direction: 'outbound',
          peer_location: 'external',
          calling_number: user.extension,
          called_number: destination,
          offer_timestamp: microsNow(),
          other_uuid: uLeg.uuid,
          state: callingPstn(destination),
          last_event: 'CHANNEL_ORIGINATE',
        });
        this.update(uLeg, { other_uuid: dLeg.uuid });
        if (outcome === 'busy') {
          this.end(dLeg, 'recv_refuse,USER_BUSY');
          this.endCall(call, 'send_bye,NORMAL_CLEARING');
        } else if (outcome === 'no-answer') {
          this.step(call, delays.noAnswerMs, () => {
            this.end(dLeg, 'send_cancel,NO_ANSWER');
            this.endCall(call, 'send_bye,NORMAL_CLEARING');
          });
        } else {
          this.step(call, delays.destAnswerMs, () => {
            this.update(dLeg, { answer_timestamp: microsNow(), last_event: 'CHANNEL_ANSWER' });
            this.bridge(uLeg, dLeg, endUserInfo('outbound', destination));
          });
        }
      });
    });
    return uLeg.uuid;
  }

  /** A PSTN caller rings `user` (A-leg then the user's B-leg); answered after `answerAfterMs` if set. */
  inbound(user: SimUser, from: string, did: string, answerAfterMs?: number): string[] {
    const call = this.newCall();
    const aLeg = this.add(call, {
      direction: 'inbound',
      peer_location: 'external',
      calling_name: from,
      calling_number: from,
      called_number: did,
      offer_timestamp: microsNow(),
      state: callingUser(user.id),
      target: userTarget(user, did),
      last_event: 'NEW_CHANNEL',
    });
    const bLeg = this.add(call, {
      direction: 'outbound',
      peer_location: 'internal',
      calling_name: from,
      calling_number: from,
      called_number: user.extension,
      offer_timestamp: microsNow(),
      other_uuid: aLeg.uuid,
      user_id: user.id,
      state: callingUser(user.id),
      other_info: endUserInfo('inbound', from),
      last_event: 'CHANNEL_ORIGINATE',
    });
    if (answerAfterMs !== undefined) {
      this.step(call, answerAfterMs, () => {
        this.update(aLeg, { answer_timestamp: microsNow(), last_event: 'CHANNEL_ANSWER' });
        this.update(bLeg, { answer_timestamp: microsNow(), last_event: 'CHANNEL_ANSWER' });
        this.bridge(bLeg, aLeg, endUserInfo('inbound', from));
      });
    }
    return [aLeg.uuid, bLeg.uuid];
  }

  /** The `{"cmd":"hangup","uuid"}` command: that leg, then the rest of its call. False: no such channel. */
  hangup(uuid: string): boolean {
    const channel = this.channels.get(uuid);
    const call = this.callOf.get(uuid);
    if (!channel || !call) return false;
    const answered = channel.answer_timestamp !== undefined;
    this.end(channel, answered ? 'send_bye,NORMAL_CLEARING' : 'send_cancel,ORIGINATOR_CANCEL');
    this.endCall(call, answered ? 'send_bye,NORMAL_CLEARING' : 'send_cancel,ORIGINATOR_CANCEL');
    return true;
  }

  /** The far end hangs up every call (or the call of `uuid`). */
  farEndHangup(uuid?: string): void {
    const calls = uuid ? [this.callOf.get(uuid)] : [...new Set(this.callOf.values())];
    for (const call of calls) if (call && !call.ended) this.endCall(call, 'recv_bye,NORMAL_CLEARING');
  }

  /** Forget everything without a word (a PBX restart). */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.channels.clear();
    this.callOf.clear();
  }

  private newCall(): SimCall {
    return { key: this.nextKey++, legs: new Set(), ended: false };
  }

  private add(call: SimCall, fields: Omit<SimChannel, 'uuid'>): SimChannel {
    const uuid = randomUUID();
    const channel: SimChannel = { uuid, ...fields, call_id: uuid };
    this.channels.set(uuid, channel);
    this.callOf.set(uuid, call);
    call.legs.add(uuid);
    this.options.emit(channel, 'added');
    return channel;
  }

  private update(channel: SimChannel, fields: Partial<Record<string, Term | string>>): void {
    if (!this.channels.has(channel.uuid)) return;
    Object.assign(channel, fields);
    this.options.emit(channel, 'updated');
  }

  private bridge(a: SimChannel, b: SimChannel, otherInfoOfA: Term): void {
    this.update(a, {
      state: bridgedState(),
      last_event: 'CHANNEL_BRIDGE',
      other_uuid: b.uuid,
      other_info: otherInfoOfA,
    });
    this.update(b, { state: bridgedState(), last_event: 'CHANNEL_BRIDGE', other_uuid: a.uuid });
  }

  /** CHANNEL_HANGUP with its cause, then `removed`. */
  private end(channel: SimChannel, cause: string): void {
    if (!this.channels.has(channel.uuid)) return;
    this.update(channel, {
      hangup_timestamp: microsNow(),
      last_event: 'CHANNEL_HANGUP',
      last_event_data: cause,
    });
    this.channels.delete(channel.uuid);
    const call = this.callOf.get(channel.uuid);
    call?.legs.delete(channel.uuid);
    this.callOf.delete(channel.uuid);
    if (!this.options.omitRemoved) this.options.emit(channel, 'removed');
  }

  private endCall(call: SimCall, cause: string): void {
    call.ended = true;
    for (const uuid of [...call.legs]) {
      const channel = this.channels.get(uuid);
      if (channel) this.end(channel, cause);
    }
  }

  /** Runs `step` after `ms` unless the call ended meanwhile; 0 ms runs it now (same read as what caused it). */
  private step(call: SimCall, ms: number, step: () => void): void {
    if (ms <= 0) {
      if (!call.ended) step();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!call.ended) step();
    }, ms);
    this.timers.add(timer);
  }
}
