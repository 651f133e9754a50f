import type { CallDirection, CallOutcome, LinkState } from '../../../shared/bridge-types';
import type { Logger } from '../log/logger';

/**
 * A normalised call event from a PBX adapter. The adapter owns call identity: when a PBX renames a
 * call (VIPTel's changing unique_id), the adapter keeps reporting the same `callId`.
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
  | 'rejected' // the PBX refused the command (permissions, validation, unknown call)
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

export interface DialAccepted {
  /** The adapter's id for the call; later call events carry it. */
  callId: string;
}

export interface PbxAdapterEvents {
  link(state: LinkState): void;
  call(event: PbxCallEvent): void;
}

export interface AdapterContext {
  log: Logger;
  events: PbxAdapterEvents;
}

/**
 * One PBX connection for one operator. Adapters connect by themselves after `start()`, reconnect with
 * backoff, and report everything through `ctx.events`; they never throw from event handlers.
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
   * Place a call from the operator to `number` (already validated and rewritten by the dial rules).
   * Resolves when the PBX has accepted the command; rejects with a PbxError otherwise. Fails fast when
   * offline.
   */
  dial(number: string): Promise<DialAccepted>;
  /** Hang up one call, or every live call of the operator when `callId` is omitted. */
  hangup(callId?: string): Promise<void>;
  /** Warnings to show the user for this profile (e.g. TLS verification disabled). */
  warnings(): string[];
  /** After a refused login the adapter retries only slowly; this tries again at once (the user asked). */
  retryNow?(): void;
}
