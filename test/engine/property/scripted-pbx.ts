// A PBX adapter whose every move a property test chooses: when dials are accepted or refused, which
// events come and in what order, link losses. It keeps the adapter contract (the Bridge's ids, a late
// accept after abort is hung up, hangup of an unknown call rejects not-found) so the Bridge is what is tested.
import type { CallOutcome, LinkState } from '../../../src/shared/bridge-types';
import {
  PbxError,
  type AdapterContext,
  type PbxAdapter,
  type PbxCallEvent,
} from '../../../src/main/engine/pbx/adapter';

export interface PbxCall {
  id: string;
  number: string;
  direction: 'outbound' | 'inbound';
  /** What the PBX has told the Bridge so far. */
  reported: 'none' | 'ringing' | 'connected';
  ended: boolean;
  /** The dial() promise, while the PBX has not answered it. */
  pending: { resolve(): void; reject(error: PbxError): void } | null;
  aborted: boolean;
}

export class ScriptedPbx implements PbxAdapter {
  link: LinkState = { status: 'online', detail: 'scripted' };
  readonly calls: PbxCall[] = [];
  dialsReceived = 0;

  constructor(private readonly ctx: AdapterContext) {}

  start(): void {
    this.ctx.events.link(this.link);
  }
  async stop(): Promise<void> {
    this.loseLink();
  }
  warnings(): string[] {
    return [];
  }

  dial(callId: string, number: string, signal: AbortSignal): Promise<void> {
    if (this.link.status !== 'online') return Promise.reject(new PbxError('offline', 'scripted PBX offline'));
    this.dialsReceived += 1;
    return new Promise<void>((resolve, reject) => {
      const call: PbxCall = {
        id: callId,
        number,
        direction: 'outbound',
        reported: 'none',
        ended: false,
        pending: { resolve, reject },
        aborted: false,
      };
      this.calls.push(call);
      signal.addEventListener('abort', () => (call.aborted = true), { once: true });
    });
  }

  async hangup(callId?: string): Promise<void> {
    if (callId === undefined) {
      for (const call of this.live()) this.end(call, 'cancelled');
      return;
    }
    const call = this.calls.find((c) => c.id === callId && !c.ended);
    if (!call) throw new PbxError('not-found', 'scripted PBX: no such call');
    this.end(call, call.reported === 'connected' ? 'completed' : 'cancelled');
  }

  // ---- the test's moves ----

  live(): PbxCall[] {
    return this.calls.filter((c) => !c.ended);
  }

  accept(call: PbxCall): void {
    const pending = call.pending;
    if (!pending) return;
    call.pending = null;
    pending.resolve();
    // A correct adapter hangs up what the PBX placed after the Bridge gave up.
    if (call.aborted && !call.ended) this.end(call, 'cancelled');
  }

  refuse(call: PbxCall): void {
    const pending = call.pending;
    if (!pending) return;
    call.pending = null;
    call.ended = true;
    pending.reject(new PbxError('rejected', 'scripted refusal'));
  }

  progress(call: PbxCall, kind: 'ringing' | 'connected'): void {
    if (call.ended) return;
    call.reported = kind;
    this.emit({ kind, callId: call.id, direction: call.direction, remoteNumber: call.number });
  }

  /** The far end or the PBX ends the call; `withAccept`: the end and the accept in the same turn. */
  end(call: PbxCall, outcome: CallOutcome, withAccept = false): void {
    if (call.ended) return;
    call.ended = true;
    this.emit({ kind: 'ended', callId: call.id, outcome });
    if (withAccept && call.pending) {
      const pending = call.pending;
      call.pending = null;
      pending.resolve();
    }
  }

  inbound(number: string): void {
    const call: PbxCall = {
      id: this.ctx.newCallId(),
      number,
      direction: 'inbound',
      reported: 'none',
      ended: false,
      pending: null,
      aborted: false,
    };
    this.calls.push(call);
    this.progress(call, 'ringing');
  }

  /** An event the PBX repeats (a duplicate frame). */
  repeat(event: PbxCallEvent): void {
    this.emit(event);
  }

  loseLink(): void {
    if (this.link.status !== 'online') return;
    for (const call of this.live()) {
      call.ended = true;
      if (call.pending) {
        const pending = call.pending;
        call.pending = null;
        pending.reject(new PbxError('offline', 'link lost'));
      }
    }
    this.setLink({ status: 'offline', reason: 'scripted drop', retryAt: 0 });
  }

  restoreLink(): void {
    if (this.link.status === 'online') return;
    this.setLink({ status: 'online', detail: 'scripted' });
  }

  readonly sent: PbxCallEvent[] = [];
  private emit(event: PbxCallEvent): void {
    this.sent.push(event);
    this.ctx.events.call(event);
  }

  private setLink(state: LinkState): void {
    this.link = state;
    this.ctx.events.link(state);
  }
}
