import type { CallDirection, CallOutcome, LinkState } from '../../../shared/bridge-types';
import type { Logger } from '../log/logger';

/**
 * A normalised call event from a PBX adapter. `callId` is always the Bridge's id: the one passed to
 * `dial()` for a dialled call, or one from `ctx.newCallId()` for a call the Bridge did not dial. When a PBX
 * renames a call (VIPTel's changing unique_id), the adapter keeps reporting the same `callId`.
 */
export type PbxCallEvent =
  | {
      kind: 'ringing';
      callId: string;
      direction: CallDirection;
      remoteNumber: string | null;
    }
  | {
      kind: 'connected';
      callId: string;
      direction: CallDirection;
      remoteNumber: string | null;
    }
  | {
      kind: 'ended';
      callId: string;
      outcome: CallOutcome;
      /** The PBX's own words for the outcome (status value, cause), for logs and the UI. */
      detail?: string;
    };

export type PbxErrorCode =
  | 'offline' // not connected / not logged in
  | 'auth-failed'
  | 'rejected' // the PBX refused the command (permissions, validation)
  | 'not-found' // the PBX does not know the call (already gone): the Bridge ends it locally
  | 'timeout' // no answer from the PBX in time
  | 'not-supported'
  | 'failed';

/** Thrown by adapter actions; `message` is operator-facing and never contains secrets. */
export class PbxError extends Error {
  constructor(
    readonly code: PbxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PbxError';
  }
}

export interface PbxAdapterEvents {
  link(state: LinkState): void;
  call(event: PbxCallEvent): void;
}

export interface AdapterContext {
  log: Logger;
  events: PbxAdapterEvents;
  /** A fresh Bridge call id, for a call the Bridge did not dial (inbound, dialled on the desk phone). */
  newCallId(): string;
}

/**
 * One PBX connection for one operator. Adapters connect by themselves after `start()`, reconnect with
 * backoff, and report everything through `ctx.events`; they never throw from event handlers.
 *
 * The same contract for every PBX (test/pbx/contract runs it against each adapter):
 * - events may come before `dial()` settles, an `ended` included; an `ended` is the last event of a call;
 * - events of calls the adapter does not follow (other users) are dropped by the adapter;
 * - actions while not logged in reject at once with a PbxError (`offline` or `auth-failed`);
 * - `hangup()` with no live call resolves; for a call the PBX does not know, the adapter either ends it
 *   itself (`ended`) and resolves, or rejects with `not-found` and the Bridge ends it.
 * - Bridge call ids are 1–64 letters and digits (VIPTel uses them as call_random_id).
 */
export interface PbxAdapter {
  readonly link: LinkState;
  /** Begin connecting; returns at once. */
  start(): void;
  /**
   * Log out where the protocol has a logout, close every socket, clear every timer. Resolves within a
   * few seconds even when the PBX does not answer. Idempotent.
   */
  stop(): Promise<void>;
  /**
   * Place a call from the operator to `number` (already validated and rewritten by the dial rules) under
   * the Bridge's id `callId`: every event about the call carries it from the first one on. Resolves when
   * the PBX has accepted the command; rejects with a PbxError otherwise. When `signal` aborts (the Bridge
   * stopped waiting and told the operator the dial failed), the adapter hangs up the call should the PBX
   * still place it, and ends it with `ended` if it had reported anything of it.
   */
  dial(callId: string, number: string, signal: AbortSignal): Promise<void>;
  /** Hang up one call, or every live call of the operator when `callId` is omitted. */
  hangup(callId?: string): Promise<void>;
  /** Warnings to show the user for this profile (e.g. TLS verification disabled). */
  warnings(): string[];
  /** After a refused login the adapter retries only slowly; this tries again at once (the user asked). */
  retryNow?(): void;
}
