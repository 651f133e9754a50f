// What the simulated far end does with a call, as CallInfo steps (state, msg, cause).

/** Per dialled number: answer, ring forever, busy, unknown number, refuse (call 0), or say nothing. */
export type OutgoingScript = 'answer' | 'ring' | 'busy' | 'unallocated' | 'reject' | 'silent';

export interface SimDelays {
  /** UserCallResult → x-setup (0 = right away). */
  setupMs: number;
  /** x-setup → r-alert (or → r-disc for busy / unallocated). */
  alertMs: number;
  /** r-alert → r-conn. */
  connectMs: number;
  /** Disconnect → end marker. */
  endMs: number;
}

export const DEFAULT_DELAYS: SimDelays = { setupMs: 0, alertMs: 100, connectMs: 300, endMs: 20 };

/** state values: low nibble = phase; 0x80 = the PBX calls the user's phone (an incoming call). */
export const STATE = {
  setup: 1,
  alert: 4,
  connected: 5,
  discSent: 6,
  discReceived: 7,
  towardsUser: 0x80,
} as const;

export const CAUSE_TEXT: Record<number, string> = {
  1: 'Unallocated (unassigned) number',
  16: 'Normal call clearing',
  17: 'User busy',
  19: 'No answer from user',
  21: 'Call rejected',
};

export interface CallStep {
  /** Delay after the previous step. */
  afterMs: number;
  state: number;
  msg: string;
  cause?: number;
  /** After this step the call ends (end marker `endMs` later). */
  ends?: boolean;
}

/** Steps after x-setup for an outgoing call. */
export function outgoingSteps(script: OutgoingScript, delays: SimDelays): CallStep[] {
  switch (script) {
    case 'answer':
      return [
        { afterMs: delays.alertMs, state: STATE.alert, msg: 'r-alert' },
        { afterMs: delays.connectMs, state: STATE.connected, msg: 'r-conn' },
      ];
    case 'ring':
      return [{ afterMs: delays.alertMs, state: STATE.alert, msg: 'r-alert' }];
    // state 6 with r-disc is the shape of the only official CallInfo example (RCC.htm).
    case 'busy':
      return [{ afterMs: delays.alertMs, state: STATE.discSent, msg: 'r-disc', cause: 17, ends: true }];
    case 'unallocated':
      return [{ afterMs: delays.alertMs, state: STATE.discSent, msg: 'r-disc', cause: 1, ends: true }];
    case 'reject':
    case 'silent':
      return [];
  }
}

export function causeInfo(cause: number): { type: 'cause'; vali: number; vals: string }[] {
  return [{ type: 'cause', vali: cause, vals: CAUSE_TEXT[cause] ?? `Cause ${cause}` }];
}
