import { matchesNumberPattern } from '../../util/number-pattern';

/** call.end status values of API 1.0.8 ("wording may vary", so any string is allowed). */
export type SimCallStatus =
  | 'answer'
  | 'busy'
  | 'noanswer'
  | 'cancel'
  | 'congestion'
  | 'chanunavail'
  | 'dontcall'
  | 'invalidargs'
  | (string & {});

/** Delays of a call placed with call.create, each from the step before. */
export interface SimCallDelays {
  /** call.create → call.create_response. */
  createResponseMs: number;
  /** → the second call.create_response (when renaming on create). */
  renameMs: number;
  /** → call.begin (the operator answered the handset and the PBX dials `to`). */
  beginMs: number;
  /** → call.pickup, or call.end with a scripted failure status. */
  answerMs: number;
  /** call.pickup → call.end "answer" (the far end hangs up); null: the call stays up until hung up. */
  talkMs: number | null;
}

export const DEFAULT_SIM_DELAYS: SimCallDelays = {
  createResponseMs: 5,
  renameMs: 5,
  beginMs: 10,
  answerMs: 20,
  talkMs: null,
};

/** Scripting of the call flow; the simulator keeps one instance and tests may change it at any time. */
export interface SimCallScript {
  delays: SimCallDelays;
  /** Number pattern ("0900*", "*86", exact digits) → how a call to it ends; unmatched numbers answer. */
  outcomes: Map<string, SimCallStatus>;
  /** A second call.create_response with a new unique_id follows the first. */
  renameOnCreate: boolean;
  /**
   * From this step of a created call on, events carry yet another id: the same part after the dot,
   * another part before it. "end" is the spec's own example (create_response "14550.679", then call.end
   * "1453466550.679").
   */
  renameLater: 'begin' | 'end' | null;
}

export interface SimCall {
  /** Every id the call was known by; call.hangup / call.redirect accept any of them. */
  readonly ids: Set<string>;
  /** The id events use now. */
  uniqueId: string;
  readonly sequence: number;
  readonly caller: string;
  readonly callee: string;
  readonly callRandomId: string | null;
  state: 'setup' | 'ringing' | 'up';
  /** The book's tick at creation (hangup only works on calls begun after the client's login). */
  readonly bornAt: number;
  readonly timers: Set<NodeJS.Timeout>;
}

export type EmitEvent = (event: Record<string, unknown>) => void;

/** The PBX side of the simulator: its calls, their ids and their scripted course. */
export class SimCallBook {
  private readonly calls = new Set<SimCall>();
  private sequence = 600;
  private tick = 0;
  private readonly epoch = Math.floor(Date.now() / 1_000);

  constructor(
    private readonly script: SimCallScript,
    private readonly emit: EmitEvent,
  ) {}

  /** A monotonic clock for "began after this login". */
  now(): number {
    return ++this.tick;
  }

  live(): SimCall[] {
    return [...this.calls];
  }

  find(id: unknown): SimCall | undefined {
    if (typeof id !== 'string' && typeof id !== 'number') return undefined;
    const text = String(id);
    for (const call of this.calls) if (call.ids.has(text)) return call;
    return undefined;
  }

  /** call.create: the `from` extension rings first; once answered, the PBX dials `to`. */
  create(from: string, to: string, callRandomId: string): SimCall {
    const call = this.add(from, to, callRandomId, 'setup');
    const { delays } = this.script;
    const outcome = this.outcomeFor(to);
    this.after(call, delays.createResponseMs, () => {
      this.emit({ event: 'call.create_response', unique_id: call.uniqueId, call_random_id: callRandomId });
      if (this.script.renameOnCreate) {
        this.after(call, delays.renameMs, () => {
          this.rename(call, `${this.epoch + 1}.${call.sequence + 1}`);
          this.emit({
            event: 'call.create_response',
            unique_id: call.uniqueId,
            call_random_id: callRandomId,
          });
          this.dialOut(call, outcome);
        });
      } else {
        this.dialOut(call, outcome);
      }
    });
    return call;
  }

  /** A call to `to` from outside (or another extension): call.begin now, then it rings until told. */
  inbound(from: string, to: string, calledNumber: string = to): SimCall {
    const call = this.add(from, to, null, 'ringing');
    this.emit(beginFrame(call, calledNumber));
    return call;
  }

  answer(call: SimCall): void {
    if (call.state === 'up') return;
    call.state = 'up';
    this.emit({ event: 'call.pickup', unique_id: call.uniqueId });
    const talkMs = this.script.delays.talkMs;
    if (talkMs !== null) this.after(call, talkMs, () => this.end(call, 'answer'));
  }

  end(call: SimCall, status: SimCallStatus): void {
    if (!this.calls.delete(call)) return;
    for (const timer of call.timers) clearTimeout(timer);
    call.timers.clear();
    if (this.script.renameLater === 'end' && call.callRandomId !== null) this.renameLater(call);
    this.emit({ event: 'call.end', unique_id: call.uniqueId, status });
  }

  /** call.hangup: "answer" once connected, "cancel" before. */
  hangup(call: SimCall): void {
    this.end(call, call.state === 'up' ? 'answer' : 'cancel');
  }

  /**
   * call.redirect. The spec documents no reply or event for it; the simulator's guess is that the call
   * leaves the operator (call.end) and carries on elsewhere, out of the operator's sight.
   */
  redirect(call: SimCall): void {
    this.hangup(call);
  }

  clear(): void {
    for (const call of this.calls) for (const timer of call.timers) clearTimeout(timer);
    this.calls.clear();
  }

  private dialOut(call: SimCall, outcome: SimCallStatus): void {
    const { delays } = this.script;
    this.after(call, delays.beginMs, () => {
      if (this.script.renameLater === 'begin') this.renameLater(call);
      call.state = 'ringing';
      this.emit(beginFrame(call, call.callee));
      this.after(call, delays.answerMs, () => {
        if (outcome === 'answer') this.answer(call);
        else this.end(call, outcome);
      });
    });
  }

  private outcomeFor(to: string): SimCallStatus {
    for (const [pattern, status] of this.script.outcomes) {
      if (matchesNumberPattern(to, pattern)) return status;
    }
    return 'answer';
  }

  private add(caller: string, callee: string, callRandomId: string | null, state: SimCall['state']): SimCall {
    this.sequence += 2;
    const uniqueId = `${this.epoch}.${this.sequence}`;
    const call: SimCall = {
      ids: new Set([uniqueId]),
      uniqueId,
      sequence: this.sequence,
      caller,
      callee,
      callRandomId,
      state,
      bornAt: this.now(),
      timers: new Set(),
    };
    this.calls.add(call);
    return call;
  }

  private renameLater(call: SimCall): void {
    this.rename(call, `${this.epoch + 1_000_000}.${lastPart(call.uniqueId)}`);
  }

  private rename(call: SimCall, uniqueId: string): void {
    call.uniqueId = uniqueId;
    call.ids.add(uniqueId);
  }

  /** `ms <= 0` runs at once: the frames then leave in the same write (see the simulator's corking). */
  private after(call: SimCall, ms: number, run: () => void): void {
    if (ms <= 0) {
      run();
      return;
    }
    const timer = setTimeout(() => {
      call.timers.delete(timer);
      run();
    }, ms);
    call.timers.add(timer);
  }
}

function beginFrame(call: SimCall, calledNumber: string): Record<string, unknown> {
  return {
    event: 'call.begin',
    caller: call.caller,
    caller_name: `Caller ${call.caller}`,
    callee: call.callee,
    callee_name: `Callee ${call.callee}`,
    called_number: calledNumber,
    unique_id: call.uniqueId,
  };
}

function lastPart(uniqueId: string): string {
  return uniqueId.slice(uniqueId.lastIndexOf('.') + 1);
}
