import type { CallDirection, CallOutcome, LinkState } from '../../../../shared/bridge-types';
import { firstMatchingPattern } from '../../util/number-pattern';
import { PbxError, type AdapterContext, type PbxAdapter } from '../adapter';
import type { SimulatorProfile } from './profile';

interface SimCall {
  id: string;
  direction: CallDirection;
  remote: string;
  phase: 'dialing' | 'ringing' | 'connected';
  timers: NodeJS.Timeout[];
}

/**
 * The built-in demo PBX: no network, the same adapter contract as the real PBXs. Dials ring, then answer,
 * after the profile's delays; numbers matching busy / unreachable / no-answer patterns fail accordingly;
 * inbound calls come from the profile's schedule or from `simulateInbound`.
 */
export class SimulatorAdapter implements PbxAdapter {
  private state: LinkState = { status: 'stopped' };
  private readonly calls = new Map<string, SimCall>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly profile: SimulatorProfile,
    private readonly ctx: AdapterContext,
  ) {}

  get link(): LinkState {
    return this.state;
  }

  warnings(): string[] {
    return [];
  }

  start(): void {
    if (this.state.status !== 'stopped') return;
    this.setLink({ status: 'connecting', attempt: 0 });
    this.later(0, () => {
      this.setLink({ status: 'online', detail: 'simulated PBX' });
      for (const inbound of this.profile.inboundCalls) {
        this.later(inbound.afterMs, () => this.simulateInbound(inbound.from, inbound.ringForMs));
      }
    });
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.calls.clear();
    if (this.state.status !== 'stopped') this.setLink({ status: 'stopped' });
  }

  /** With `ringAfterMs: 0` a call's first events (an instant busy's end too) come before dial() resolves. */
  async dial(callId: string, number: string, signal: AbortSignal): Promise<void> {
    if (this.state.status !== 'online') throw new PbxError('offline', 'The simulated PBX is not running');
    const call = this.addCall(callId, 'outbound', number, 'dialing');
    signal.addEventListener('abort', () => this.end(call.id, 'cancelled', 'the bridge gave up the dial'), {
      once: true,
    });
    const { ringAfterMs, answerAfterMs } = this.profile;
    const failure = this.scriptedFailure(number);
    this.callLater(call, ringAfterMs, () => {
      if (failure === 'unreachable' || failure === 'busy') return this.end(call.id, failure, failure);
      this.ring(call);
      if (failure === 'no-answer') {
        this.callLater(call, answerAfterMs, () => this.end(call.id, 'no-answer', 'noanswer'));
      } else {
        this.callLater(call, answerAfterMs, () => this.connect(call));
      }
    });
  }

  async hangup(callId?: string): Promise<void> {
    if (callId === undefined && this.calls.size === 0) return;
    if (this.state.status !== 'online') throw new PbxError('offline', 'The simulated PBX is not running');
    const named = callId === undefined ? undefined : this.calls.get(callId);
    if (callId !== undefined && !named) throw new PbxError('not-found', 'The simulated PBX has no such call');
    const targets = named ? [named] : [...this.calls.values()];
    for (const call of targets) {
      this.end(call.id, call.phase === 'connected' ? 'completed' : 'cancelled', 'hung up by the operator');
    }
  }

  /** An inbound call to the operator; it stops ringing after `ringForMs` unless answered. */
  simulateInbound(from: string, ringForMs = 10_000): string {
    const call = this.addCall(this.ctx.newCallId(), 'inbound', from, 'ringing');
    this.ring(call);
    this.callLater(call, ringForMs, () => this.end(call.id, 'no-answer', 'missed'));
    return call.id;
  }

  /** The operator picks up an inbound call at the handset. */
  answer(callId: string): void {
    const call = this.calls.get(callId);
    if (call && call.phase === 'ringing') {
      this.clearCallTimers(call);
      this.connect(call);
    }
  }

  /** The simulated link drops: every call ends as link-lost, and the link is back a moment later. */
  simulateLinkDrop(reconnectAfterMs = 50): void {
    if (this.state.status !== 'online') return;
    for (const call of [...this.calls.values()]) this.end(call.id, 'link-lost', 'simulated link drop');
    this.setLink({
      status: 'offline',
      reason: 'simulated link drop',
      retryAt: Date.now() + reconnectAfterMs,
    });
    this.later(reconnectAfterMs, () => this.setLink({ status: 'online', detail: 'simulated PBX' }));
  }

  /** The far end hangs up. */
  remoteHangup(callId: string): void {
    const call = this.calls.get(callId);
    if (call) this.end(callId, call.phase === 'connected' ? 'completed' : 'cancelled', 'far end hung up');
  }

  private scriptedFailure(number: string): CallOutcome | null {
    if (firstMatchingPattern(number, this.profile.unreachableNumbers)) return 'unreachable';
    if (firstMatchingPattern(number, this.profile.busyNumbers)) return 'busy';
    if (firstMatchingPattern(number, this.profile.noAnswerNumbers)) return 'no-answer';
    return null;
  }

  private addCall(id: string, direction: CallDirection, remote: string, phase: SimCall['phase']): SimCall {
    const call: SimCall = { id, direction, remote, phase, timers: [] };
    this.calls.set(call.id, call);
    return call;
  }

  private ring(call: SimCall): void {
    call.phase = 'ringing';
    this.ctx.events.call({
      kind: 'ringing',
      callId: call.id,
      direction: call.direction,
      remoteNumber: call.remote,
    });
  }

  private connect(call: SimCall): void {
    call.phase = 'connected';
    this.ctx.events.call({
      kind: 'connected',
      callId: call.id,
      direction: call.direction,
      remoteNumber: call.remote,
    });
    const hangupAfter = this.profile.remoteHangupAfterMs;
    if (hangupAfter !== null)
      this.callLater(call, hangupAfter, () => this.end(call.id, 'completed', 'far end hung up'));
  }

  private end(callId: string, outcome: CallOutcome, detail: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    this.clearCallTimers(call);
    this.calls.delete(callId);
    this.ctx.events.call({ kind: 'ended', callId, outcome, detail });
  }

  private clearCallTimers(call: SimCall): void {
    for (const timer of call.timers) {
      clearTimeout(timer);
      this.timers.delete(timer);
    }
    call.timers = [];
  }

  /** `ms <= 0` runs at once, in the same turn (how a PBX that sends several frames in one read behaves). */
  private callLater(call: SimCall, ms: number, run: () => void): void {
    if (ms <= 0) run();
    else call.timers.push(this.later(ms, run));
  }

  private later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private setLink(state: LinkState): void {
    this.state = state;
    this.ctx.events.link(state);
  }
}

export function createSimulatorAdapter(profile: SimulatorProfile, ctx: AdapterContext): SimulatorAdapter {
  return new SimulatorAdapter(profile, ctx);
}
