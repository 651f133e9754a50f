import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { LinkState } from '../../../../shared/bridge-types';
import type { Logger } from '../../log/logger';
import { Backoff } from '../../util/backoff';
import {
  PbxError,
  type AdapterContext,
  type DialAccepted,
  type PbxAdapter,
  type PbxCallEvent,
  type PbxErrorCode,
} from '../adapter';
import { ViptelCallTracker, type TrackedCall } from './call-tracker';
import { credentialDigest, loginHashFromDigest } from './login-hash';
import type { ViptelProfile } from './profile';
import { describeValidationErrors, extensionForWire, findNonce, type ViptelFrame } from './protocol';
import { describeReply, type ReplyCode, type ReplyEffect } from './reply-codes';

/** Timings tests shorten; production uses the defaults. */
export interface ViptelAdapterOptions {
  /** Reconnect backoff (full jitter): first window and largest window. Defaults 500 ms, 30 s. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** After VIPTel refused the credentials, try again only this often (default 5 min) or on retryNow(). */
  authRetryMs?: number;
  /** A call.create / call.hangup the PBX neither confirms nor refuses fails after this (default 10 s). */
  requestTimeoutMs?: number;
  /** On stop, how long to wait for "110 Bye" after user.logout (default 1 s). */
  logoutGraceMs?: number;
  /** Greeting and login must be done this long after the socket opened (default 40 s; the server's own window is 30 s). */
  loginTimeoutMs?: number;
  /** ws ping interval while online; a link that missed a whole interval is dropped (default 30 s). */
  pingIntervalMs?: number;
  /** call.redirect has no success reply in the spec: no error within this long means accepted (default 1.5 s). */
  redirectSettleMs?: number;
}

const DEFAULTS = {
  backoffBaseMs: 500,
  backoffCapMs: 30_000,
  authRetryMs: 5 * 60_000,
  requestTimeoutMs: 10_000,
  logoutGraceMs: 1_000,
  loginTimeoutMs: 40_000,
  pingIntervalMs: 30_000,
  redirectSettleMs: 1_500,
} satisfies Required<ViptelAdapterOptions>;

/** Close handshake allowance on stop before the socket is cut. */
const CLOSE_GRACE_MS = 500;
const HANDSHAKE_TIMEOUT_MS = 10_000;
const MAX_FRAME_BYTES = 1_048_576;

type RequestAction = 'call.create' | 'call.hangup' | 'call.redirect';

/** An action waiting for its outcome. VIPTel replies carry no request id (see `takePendingFor`). */
interface PendingRequest {
  action: RequestAction;
  callId: string;
  /** False for a hangup waiting for its call's first unique_id. */
  sent: boolean;
  resolve(): void;
  reject(error: PbxError): void;
  timer: NodeJS.Timeout;
}

/** One WebSocket connection and its login. */
interface Session {
  socket: WebSocket;
  loginSent: boolean;
  loggedIn: boolean;
  /** Any frame or pong since the last ping. */
  alive: boolean;
  /** Why the server is closing, from the reply before the close (503 restart, 408...). */
  closingReason: string | null;
  /** Set when VIPTel refused the credentials: no quick reconnect. */
  authFailure: string | null;
  lastError: string | null;
  timers: Set<NodeJS.Timeout>;
  closed: Promise<void>;
  markClosed(): void;
}

/**
 * The VIPTel hosted PBX (WebSocket API 1.0.8): logs in with the nonce hash, places calls with call.create
 * from the operator's extension, follows the operator's calls through the PBX-wide event stream, and
 * reconnects with full-jitter backoff.
 */
export class ViptelAdapter implements PbxAdapter {
  private state: LinkState = { status: 'stopped' };
  private readonly log: Logger;
  private readonly timing: Required<ViptelAdapterOptions>;
  private readonly backoff: Backoff;
  private readonly tracker: ViptelCallTracker;
  private readonly digest: string;
  private readonly pending: PendingRequest[] = [];
  private session: Session | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private started = false;
  private stopped = false;
  private stopping: Promise<void> | null = null;
  private tlsWarned = false;
  private ignored = 0;

  constructor(
    private readonly profile: ViptelProfile,
    private readonly ctx: AdapterContext,
    options: ViptelAdapterOptions = {},
  ) {
    this.log = ctx.log.child({ component: 'viptel', profile: profile.id });
    this.timing = { ...DEFAULTS, ...definedOnly(options) };
    this.backoff = new Backoff({ baseMs: this.timing.backoffBaseMs, capMs: this.timing.backoffCapMs });
    this.tracker = new ViptelCallTracker(profile.extension);
    this.log.addSecret(profile.password);
    this.digest = credentialDigest(profile.username, profile.password);
    this.log.addSecret(this.digest);
  }

  get link(): LinkState {
    return this.state;
  }

  /** Events of the PBX that were not the operator's, since start (counted instead of logged). */
  get ignoredEvents(): number {
    return this.ignored;
  }

  warnings(): string[] {
    const warnings: string[] = [];
    if (!this.profile.rejectUnauthorized) {
      warnings.push(
        'Certificate checks are off for this VIPTel profile ("rejectUnauthorized": false). The link is ' +
          'encrypted, but anyone on the network path could pose as the VIPTel server.',
      );
    }
    const url = new URL(this.profile.url);
    if (url.protocol === 'ws:' && !isLoopback(url.hostname)) {
      warnings.push('This VIPTel profile connects without encryption (ws://): use wss:// outside a lab.');
    }
    return warnings;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    if (!this.tlsWarned && !this.profile.rejectUnauthorized) {
      this.tlsWarned = true;
      this.log.warn('certificate checks are off for this profile (rejectUnauthorized: false)');
    }
    this.connect();
  }

  /** Reconnect now, e.g. after the user fixed the password or VIPTel activated the user. */
  retryNow(): void {
    if (!this.started || this.stopped || this.session) return;
    this.clearRetryTimer();
    this.backoff.reset();
    this.connect();
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  async dial(number: string): Promise<DialAccepted> {
    const session = this.requireOnline();
    if (number.trim() === '') throw new PbxError('rejected', 'There is no number to dial.');
    // ≤ 64 alphanumerics (spec); 122 random bits. randomUUID draws from a cached pool: no OpenSSL call per dial.
    const callRandomId = randomUUID().replaceAll('-', '');
    const call = this.tracker.addDialled(callRandomId, number);
    const frame: ViptelFrame = {
      action: 'call.create',
      from: extensionForWire(this.profile.extension),
      // "Integer or String": a string keeps leading zeros and "+".
      to: number,
      call_random_id: callRandomId,
    };
    if (this.profile.callerId !== null) frame.caller_id = this.profile.callerId;
    const accepted = new Promise<void>((resolve, reject) => {
      this.addPending(session, 'call.create', call.callId, frame, resolve, (error) => {
        this.dropDialledCall(call, error);
        reject(error);
      });
    });
    this.log.info('dialling', { callId: call.callId, number });
    await accepted;
    return { callId: call.callId };
  }

  async hangup(callId?: string): Promise<void> {
    if (callId === undefined) {
      const results = await Promise.allSettled(this.tracker.calls().map((call) => this.hangup(call.callId)));
      const failure = results.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
      return;
    }
    const call = this.tracker.get(callId);
    if (!call) return; // already ended
    const session = this.requireOnline();
    await new Promise<void>((resolve, reject) => {
      // A dial not yet confirmed has no unique_id: the hangup goes out as soon as it has one.
      const frame = call.uniqueId === null ? null : hangupFrame(call);
      this.addPending(session, 'call.hangup', callId, frame, resolve, reject);
    });
  }

  /** Sends the call elsewhere (call.redirect): an extension or a phone number. */
  async redirect(callId: string, destination: string): Promise<void> {
    const call = this.tracker.get(callId);
    if (!call) throw new PbxError('rejected', 'That call has already ended.');
    const session = this.requireOnline();
    if (call.uniqueId === null) {
      throw new PbxError('failed', 'The PBX has not confirmed this call yet; try again in a moment.');
    }
    await new Promise<void>((resolve, reject) => {
      const frame = { action: 'call.redirect', unique_id: call.uniqueId, destination };
      this.addPending(session, 'call.redirect', callId, frame, resolve, reject);
    });
  }

  // ---- connection ----

  private connect(): void {
    if (this.stopped) return;
    const attempt = this.backoff.attempts + 1;
    const lastError = this.state.status === 'offline' ? this.state.reason : undefined;
    this.setLink(
      lastError ? { status: 'connecting', attempt, lastError } : { status: 'connecting', attempt },
    );
    let ca: Buffer | undefined;
    try {
      ca = this.profile.caFile === null ? undefined : readFileSync(this.profile.caFile);
    } catch (error) {
      this.scheduleReconnect(`Cannot read the CA file ${this.profile.caFile}: ${errorText(error)}`);
      return;
    }
    this.log.info('connecting to VIPTel', { url: this.profile.url, attempt });
    const socket = new WebSocket(this.profile.url, {
      ca,
      rejectUnauthorized: this.profile.rejectUnauthorized,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      maxPayload: MAX_FRAME_BYTES,
    });
    let markClosed = (): void => undefined;
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    const session: Session = {
      socket,
      loginSent: false,
      loggedIn: false,
      alive: true,
      closingReason: null,
      authFailure: null,
      lastError: null,
      timers: new Set(),
      closed,
      markClosed,
    };
    this.session = session;
    socket.on('open', () => {
      this.sessionTimer(session, this.timing.loginTimeoutMs, () => {
        if (session.loggedIn) return;
        session.closingReason ??= 'The VIPTel server did not complete the login in time.';
        socket.terminate();
      });
    });
    socket.on('message', (data, isBinary) => {
      if (isBinary || session !== this.session) return;
      session.alive = true;
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        this.ignored += 1;
        return;
      }
      if (frame === null || typeof frame !== 'object') return;
      const event = (frame as ViptelFrame).event;
      if (typeof event === 'string') this.onEvent(event, frame as ViptelFrame);
      else this.onReply(session, frame as ViptelFrame);
    });
    socket.on('pong', () => (session.alive = true));
    socket.on('error', (error) => {
      session.lastError = describeSocketError(error);
      const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
      // VIPTel admits only whitelisted IP addresses; a refusal at the upgrade is not worth hammering.
      if (status === '401' || status === '403') {
        session.authFailure = `The VIPTel server refused this connection (HTTP ${status}). Ask VIPTel to allow this computer's public IP address.`;
      }
    });
    socket.on('close', (code) => this.onClose(session, code));
  }

  private onClose(session: Session, code: number): void {
    for (const timer of session.timers) clearTimeout(timer);
    session.timers.clear();
    session.markClosed();
    if (session !== this.session) return;
    this.session = null;
    const reason =
      session.authFailure ??
      session.closingReason ??
      (session.lastError
        ? `Cannot reach the VIPTel server: ${session.lastError}`
        : `The connection to the VIPTel server was lost (code ${code}).`);
    const detail = this.stopped ? 'Dialler Bridge stopped following the call' : reason;
    this.failAllPending(new PbxError('offline', this.stopped ? 'The VIPTel profile stopped.' : reason));
    for (const event of this.tracker.endAll('link-lost', detail)) this.emitCall(event);
    if (this.ignored > 0) this.log.debug('events of other extensions ignored', { count: this.ignored });
    if (this.stopped) return;
    this.backoff.disconnected();
    if (session.authFailure) {
      const minutes = Math.max(1, Math.round(this.timing.authRetryMs / 60_000));
      this.log.warn('VIPTel refused the login; retrying only slowly', {
        reason: session.authFailure,
        retryInMs: this.timing.authRetryMs,
      });
      this.setLink({
        status: 'auth-failed',
        reason: `${session.authFailure} Next try in ${minutes} min; to try sooner, use Retry now in the window or restart the headless bridge.`,
      });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.connect();
      }, this.timing.authRetryMs);
      return;
    }
    this.scheduleReconnect(reason);
  }

  private scheduleReconnect(reason: string): void {
    this.clearRetryTimer();
    const delay = this.backoff.nextDelay();
    this.log.warn('VIPTel link down', { reason, retryInMs: delay });
    this.setLink({ status: 'offline', reason, retryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private onReply(session: Session, frame: ViptelFrame): void {
    const code = typeof frame.code === 'number' ? frame.code : Number(frame.code);
    if (!Number.isInteger(code)) return;
    const reply = describeReply(code, frame.message);
    switch (reply.effect) {
      case 'greeting':
        return this.login(session, frame);
      case 'logged-in':
        return this.loggedIn(session);
      case 'bye':
        // Logout confirmed (on stop): the server closes too, but there is no need to wait for it.
        if (this.stopped) session.socket.close(1000);
        return;
      case 'closing':
        session.closingReason ??= reply.explanation;
        return;
      case 'auth-failed':
        session.authFailure = reply.explanation;
        session.socket.close(1000);
        return;
      case 'login-timeout':
        return this.dropSession(
          session,
          session.lastError ? `${reply.explanation} (${session.lastError})` : reply.explanation,
        );
      case 'not-logged-in':
      case 'server-error':
        return this.dropSession(session, reply.explanation);
      case 'restarting':
        // "Reconnect and log in again": no need to wait for the server's close.
        return this.dropSession(session, `${reply.explanation} Reconnecting.`);
      case 'pbx-unreachable':
        this.failRequest(reply, frame);
        return this.dropSession(session, reply.explanation);
      case 'invalid-request':
      case 'forbidden':
      case 'call-not-found':
      case 'unknown-action':
      case 'action-failed':
        return this.failRequest(reply, frame);
      case 'informational': {
        // A success reply the spec does not list settles the oldest action that has no other sign of success.
        const request = this.pending.find((p) => p.sent && p.action !== 'call.create');
        if (request) this.settle(request);
        return;
      }
    }
  }

  private login(session: Session, greeting: ViptelFrame): void {
    if (session.loginSent) return;
    const nonce = findNonce(greeting);
    if (nonce === null) {
      // The server will close with 408; the close then reports it.
      session.lastError = 'the VIPTel greeting carried no nonce';
      this.log.warn('the VIPTel greeting carried no nonce; cannot log in');
      return;
    }
    const hash = loginHashFromDigest(this.digest, nonce);
    this.log.addSecret(nonce);
    this.log.addSecret(hash);
    session.loginSent = true;
    this.send(session, { action: 'user.login', username: this.profile.username, password: hash });
  }

  private loggedIn(session: Session): void {
    if (session.loggedIn) return;
    session.loggedIn = true;
    this.backoff.connected();
    this.log.info('logged in to VIPTel', { extension: this.profile.extension });
    this.setLink({ status: 'online', detail: `extension ${this.profile.extension}` });
    this.sessionInterval(session, this.timing.pingIntervalMs, () => {
      if (!session.alive) return this.dropSession(session, 'The VIPTel server stopped answering.');
      session.alive = false;
      session.socket.ping();
    });
  }

  /** Ends this connection now; the close handler reconnects. */
  private dropSession(session: Session, reason: string): void {
    session.closingReason ??= reason;
    session.socket.terminate();
  }

  // ---- events (the hot path: every event of the whole PBX passes here) ----

  private onEvent(event: string, frame: ViptelFrame): void {
    switch (event) {
      case 'call.begin':
        if (!this.tracker.involvesOperator(frame)) {
          this.ignored += 1;
          return;
        }
        this.emitCall(this.tracker.begin(frame));
        return;
      case 'call.pickup': {
        const call = this.tracker.find(frame.unique_id);
        if (!call) {
          this.ignored += 1;
          return;
        }
        this.emitCall(this.tracker.pickup(call, frame));
        return;
      }
      case 'call.end': {
        const call = this.tracker.find(frame.unique_id);
        if (!call) {
          this.ignored += 1;
          return;
        }
        const ended = this.tracker.end(call, frame);
        this.settleRequestsOf(call.callId);
        this.emitCall(ended);
        return;
      }
      case 'call.create_response': {
        const call = this.tracker.createResponse(frame);
        if (!call) {
          this.ignored += 1;
          return;
        }
        this.onCreateResponse(call);
        return;
      }
      default:
        // queue.* and anything newer: not the operator's call state.
        this.ignored += 1;
    }
  }

  private onCreateResponse(call: TrackedCall): void {
    const session = this.session;
    for (const request of this.pending.filter((p) => p.callId === call.callId)) {
      if (request.action === 'call.create') {
        this.log.info('VIPTel accepted the call', { callId: call.callId });
        this.settle(request);
      } else if (!request.sent && session) {
        request.sent = true;
        this.send(session, hangupFrame(call));
      }
    }
  }

  // ---- requests ----

  /** Sends `frame` (null: sent later, see onCreateResponse) and waits for its outcome. */
  private addPending(
    session: Session,
    action: RequestAction,
    callId: string,
    frame: ViptelFrame | null,
    resolve: () => void,
    reject: (error: PbxError) => void,
  ): void {
    const waitMs = action === 'call.redirect' ? this.timing.redirectSettleMs : this.timing.requestTimeoutMs;
    const request: PendingRequest = {
      action,
      callId,
      sent: frame !== null,
      resolve,
      reject,
      timer: setTimeout(() => {
        // call.redirect has no documented success reply: silence means accepted.
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
    this.pending.push(request);
    if (frame) this.send(session, frame);
  }

  /**
   * The request an error reply answers. VIPTel replies carry no request id, so this is an inference: the
   * server answers in order, so the reply belongs to the oldest request still waiting; "Call not found"
   * can only answer a request that names a call (hangup, redirect).
   */
  private takePendingFor(effect: ReplyEffect): PendingRequest | undefined {
    const namesCall = (p: PendingRequest): boolean => p.action !== 'call.create';
    return this.pending.find((p) => p.sent && (effect !== 'call-not-found' || namesCall(p)));
  }

  private failRequest(reply: ReplyCode, frame: ViptelFrame): void {
    const request = this.takePendingFor(reply.effect);
    const errors = describeValidationErrors(frame.errors);
    if (!request) {
      this.log.warn('VIPTel reported an error for no waiting request', {
        code: reply.code,
        message: reply.message,
        errors: errors || undefined,
      });
      return;
    }
    const call = this.tracker.get(request.callId);
    if (reply.effect === 'call-not-found' && request.action === 'call.hangup') {
      // Already gone: the hangup did what was asked.
      if (call) {
        const outcome = call.phase === 'connected' ? 'completed' : 'cancelled';
        this.emitCall(this.tracker.endCall(call, outcome, 'Call not found (already ended)'));
      }
      this.settleRequestsOf(request.callId);
      return;
    }
    const message = `${reply.explanation}${errors ? ` (${errors})` : ''}`;
    this.log.warn(`VIPTel refused the ${describeAction(request.action)}`, {
      callId: request.callId,
      code: reply.code,
      message: reply.message,
      errors: errors || undefined,
    });
    this.settle(request, new PbxError(errorCodeFor(reply), message));
  }

  private settle(request: PendingRequest, error?: PbxError): void {
    const index = this.pending.indexOf(request);
    if (index < 0) return;
    this.pending.splice(index, 1);
    clearTimeout(request.timer);
    if (error) request.reject(error);
    else request.resolve();
  }

  /** The call ended: its hangups and redirects are done. */
  private settleRequestsOf(callId: string): void {
    for (const request of this.pending.filter((p) => p.callId === callId && p.action !== 'call.create')) {
      this.settle(request);
    }
  }

  private failAllPending(error: PbxError): void {
    for (const request of [...this.pending]) this.settle(request, error);
  }

  /** A dial that failed: forget the call, and a hangup waiting for it has nothing left to do. */
  private dropDialledCall(call: TrackedCall, error: PbxError): void {
    this.tracker.forget(call);
    this.settleRequestsOf(call.callId);
    this.log.warn('dial failed', { callId: call.callId, code: error.code, reason: error.message });
  }

  private requireOnline(): Session {
    const session = this.session;
    if (session?.loggedIn && session.socket.readyState === WebSocket.OPEN) return session;
    throw new PbxError(this.state.status === 'auth-failed' ? 'auth-failed' : 'offline', this.offlineReason());
  }

  private offlineReason(): string {
    switch (this.state.status) {
      case 'offline':
        return `VIPTel is offline: ${this.state.reason}`;
      case 'auth-failed':
        return this.state.reason;
      case 'connecting':
        return 'Still connecting to VIPTel; try again in a moment.';
      default:
        return 'The VIPTel profile is not running.';
    }
  }

  private send(session: Session, frame: ViptelFrame): void {
    if (frame.action !== 'user.login') this.log.debug('sending', { action: frame.action });
    session.socket.send(JSON.stringify(frame), (error) => {
      if (error) this.log.warn('could not send to VIPTel', { action: frame.action, error: errorText(error) });
    });
  }

  // ---- stop ----

  private async shutdown(): Promise<void> {
    this.stopped = true;
    this.clearRetryTimer();
    const session = this.session;
    if (session) {
      if (session.loggedIn && session.socket.readyState === WebSocket.OPEN) {
        this.send(session, { action: 'user.logout' });
        // The server answers "110 Bye" and closes; the Bye handler closes our side at once.
        await raceTimeout(session.closed, this.timing.logoutGraceMs);
      }
      if (session.socket.readyState !== WebSocket.CLOSED) {
        if (session.socket.readyState === WebSocket.OPEN) session.socket.close(1000);
        else session.socket.terminate();
        if (!(await raceTimeout(session.closed, CLOSE_GRACE_MS))) session.socket.terminate();
      }
      await raceTimeout(session.closed, CLOSE_GRACE_MS);
    }
    this.failAllPending(new PbxError('offline', 'The VIPTel profile stopped.'));
    for (const event of this.tracker.endAll('link-lost', 'Dialler Bridge stopped following the call')) {
      this.emitCall(event);
    }
    if (this.state.status !== 'stopped') this.setLink({ status: 'stopped' });
    this.log.info('VIPTel adapter stopped');
  }

  // ---- helpers ----

  private sessionTimer(session: Session, ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      session.timers.delete(timer);
      run();
    }, ms);
    session.timers.add(timer);
  }

  private sessionInterval(session: Session, ms: number, run: () => void): void {
    const timer = setInterval(run, ms);
    session.timers.add(timer);
  }

  private clearRetryTimer(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setLink(state: LinkState): void {
    this.state = state;
    try {
      this.ctx.events.link(state);
    } catch (error) {
      this.log.error('link listener failed', { error: errorText(error) });
    }
  }

  private emitCall(event: PbxCallEvent | null): void {
    if (!event) return;
    // An event of a dialled call proves the PBX took the dial, even before its create_response.
    const dial = this.pending.find((p) => p.action === 'call.create' && p.callId === event.callId);
    if (dial) this.settle(dial);
    this.log.info(`call ${event.kind}`, { ...event });
    try {
      this.ctx.events.call(event);
    } catch (error) {
      this.log.error('call listener failed', { error: errorText(error) });
    }
  }
}

export function createViptelAdapter(
  profile: ViptelProfile,
  ctx: AdapterContext,
  options?: ViptelAdapterOptions,
): PbxAdapter {
  return new ViptelAdapter(profile, ctx, options);
}

function hangupFrame(call: TrackedCall): ViptelFrame {
  return { action: 'call.hangup', unique_id: call.uniqueId };
}

function errorCodeFor(reply: ReplyCode): PbxErrorCode {
  if (reply.effect === 'unknown-action') return 'not-supported';
  return reply.code >= 500 ? 'failed' : 'rejected';
}

function describeAction(action: RequestAction): string {
  return action === 'call.create' ? 'call' : action === 'call.hangup' ? 'hangup' : 'transfer';
}

function seconds(ms: number): string {
  return ms >= 1_000 ? `${Math.round(ms / 1_000)} s` : `${ms} ms`;
}

function describeSocketError(error: Error & { code?: string }): string {
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  if (error.code === 'ENOTFOUND') return 'unknown host name';
  if (error.code === 'ETIMEDOUT') return 'connection timed out';
  if (typeof error.code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(error.code)) {
    return `certificate not trusted (${error.code}); set "caFile" in the profile`;
  }
  return error.message;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
}

/** Resolves true when `promise` settles within `ms`, false otherwise. */
async function raceTimeout(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
