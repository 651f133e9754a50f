// VIPTel's actions waiting for their outcome. Replies carry no request id, so which request a reply
// answers is inferred (see `answeredBy`); timeouts and the link's end settle the rest.
import { PbxError } from '../adapter';
import type { ReplyEffect } from './reply-codes';

export type RequestAction = 'call.create' | 'call.hangup' | 'call.redirect';

export interface PendingRequest {
  readonly action: RequestAction;
  readonly callId: string;
  /** False for a hangup waiting for its call's first unique_id. */
  sent: boolean;
  resolve(): void;
  reject(error: PbxError): void;
  timer: NodeJS.Timeout;
}

export interface PendingTimings {
  requestTimeoutMs: number;
  /** call.redirect has no documented success reply: silence for this long means accepted. */
  redirectSettleMs: number;
}

export class PendingRequests {
  private readonly waiting: PendingRequest[] = [];

  constructor(private readonly timings: PendingTimings) {}

  /** Waits for the outcome of `action` on `callId`; `sent` false: the frame goes out later. */
  add(
    action: RequestAction,
    callId: string,
    sent: boolean,
    resolve: () => void,
    reject: (error: PbxError) => void,
  ): void {
    const waitMs = action === 'call.redirect' ? this.timings.redirectSettleMs : this.timings.requestTimeoutMs;
    const request: PendingRequest = {
      action,
      callId,
      sent,
      resolve,
      reject,
      timer: setTimeout(() => {
        if (action === 'call.redirect') return this.settle(request);
        this.settle(
          request,
          new PbxError(
            'timeout',
            `VIPTel did not answer the ${describeAction(action)} within ${seconds(waitMs)}.`,
          ),
        );
      }, waitMs),
    };
    this.waiting.push(request);
  }

  /** Requests of one call, oldest first. */
  of(callId: string): PendingRequest[] {
    return this.waiting.filter((p) => p.callId === callId);
  }

  /** The dial of `callId`, while it waits. */
  dialOf(callId: string): PendingRequest | undefined {
    return this.waiting.find((p) => p.action === 'call.create' && p.callId === callId);
  }

  /**
   * The request an error reply answers: the server answers in order, so the oldest request still
   * waiting; "Call not found" can only answer a request that names a call (hangup, redirect).
   */
  answeredBy(effect: ReplyEffect): PendingRequest | undefined {
    return this.waiting.find((p) => p.sent && (effect !== 'call-not-found' || p.action !== 'call.create'));
  }

  /** The oldest sent request that has no other sign of success than an informational reply. */
  oldestConfirmable(): PendingRequest | undefined {
    return this.waiting.find((p) => p.sent && p.action !== 'call.create');
  }

  settle(request: PendingRequest, error?: PbxError): void {
    const index = this.waiting.indexOf(request);
    if (index < 0) return;
    this.waiting.splice(index, 1);
    clearTimeout(request.timer);
    if (error) request.reject(error);
    else request.resolve();
  }

  /** The call ended: its hangups and redirects are done. */
  settleCall(callId: string): void {
    for (const request of this.of(callId)) if (request.action !== 'call.create') this.settle(request);
  }

  failAll(error: PbxError): void {
    for (const request of [...this.waiting]) this.settle(request, error);
  }
}

export function describeAction(action: RequestAction): string {
  return action === 'call.create' ? 'call' : action === 'call.hangup' ? 'hangup' : 'transfer';
}

function seconds(ms: number): string {
  return ms >= 1_000 ? `${Math.round(ms / 1_000)} s` : `${ms} ms`;
}
