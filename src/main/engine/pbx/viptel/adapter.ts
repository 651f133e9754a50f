import WebSocket from 'ws';
import type { LinkState } from '../../../../shared/bridge-types';
import type { Logger } from '../../log/logger';
import {
  PbxError,
  type AdapterContext,
  type PbxAdapter,
  type PbxCallEvent,
  type PbxErrorCode,
} from '../adapter';
import { LinkSupervisor, type LinkAttempt } from '../common/link-supervisor';
import { callEmitter, type CallEmitter } from '../common/safe-events';
import { definedOnly, settlesWithin } from '../common/settle';
import { describeSocketError, upgradeStatus } from '../common/socket-errors';
import { readCa, safeHost, tlsWarnings } from '../common/tls-options';
import { ViptelCallTracker, type TrackedCall } from './call-tracker';
import { credentialDigest, loginHashFromDigest } from './login-hash';
import type { ViptelProfile } from './profile';
import { describeValidationErrors, extensionForWire, findNonce, type ViptelFrame } from './protocol';
import { PendingRequests, describeAction, type RequestAction } from './pending-requests';
import { describeReply, type ReplyCode } from './reply-codes';

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

/** One WebSocket connection and its login. */
interface Session {
  socket: WebSocket;
  attempt: LinkAttempt;
  /** Drop this connection's secrets from the log scrubber when it closes. */
  disposeSecrets: (() => void)[];
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
  private readonly log: Logger;
  private readonly timing: Required<ViptelAdapterOptions>;
  private readonly supervisor: LinkSupervisor;
  private readonly tracker: ViptelCallTracker;
  private readonly emit: CallEmitter;
  private readonly digest: string;
  private readonly pending: PendingRequests;
  private session: Session | null = null;
  private stopped = false;
  private stopping: Promise<void> | null = null;
  private ignored = 0;

  constructor(
    private readonly profile: ViptelProfile,
    private readonly ctx: AdapterContext,
    options: ViptelAdapterOptions = {},
  ) {
    this.log = ctx.log.child({ component: 'viptel', profile: profile.id });
    this.timing = { ...DEFAULTS, ...definedOnly(options) };
    this.supervisor = new LinkSupervisor({
      pbx: 'VIPTel',
      log: this.log,
      onLink: (state) => ctx.events.link(state),
      open: (attempt) => this.open(attempt),
      close: () => this.closeSession(),
      backoff: { baseMs: this.timing.backoffBaseMs, capMs: this.timing.backoffCapMs },
      authRetryMs: this.timing.authRetryMs,
    });
    this.tracker = new ViptelCallTracker(profile.extension, () => ctx.newCallId());
    this.emit = callEmitter(ctx, this.log);
    this.pending = new PendingRequests(this.timing);
    this.log.addSecret(profile.password);
    this.digest = credentialDigest(profile.username, profile.password);
    this.log.addSecret(this.digest);
  }

  get link(): LinkState {
    return this.supervisor.state;
  }

  /** Events of the PBX that were not the operator's, since start (counted instead of logged). */
  get ignoredEvents(): number {
    return this.ignored;
  }

  warnings(): string[] {
    return tlsWarnings('VIPTel', this.profile);
  }

  start(): void {
    if (this.stopped) return;
    if (!this.profile.rejectUnauthorized) {
      this.log.warn('certificate checks are off for this profile (rejectUnauthorized: false)');
    }
    this.supervisor.start();
  }

  /** Reconnect now, e.g. after the user fixed the password or VIPTel activated the user. */
  retryNow(): void {
    this.supervisor.retryNow();
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  async dial(callId: string, number: string, signal: AbortSignal): Promise<void> {
    const session = this.requireOnline();
    if (number.trim() === '') throw new PbxError('rejected', 'There is no number to dial.');
    // The Bridge's id is the call_random_id (≤ 64 alphanumerics in the spec).
    const callRandomId = callId;
    const frame: ViptelFrame = {
      action: 'call.create',
      from: extensionForWire(this.profile.extension),
      // "Integer or String": a string keeps leading zeros and "+".
      to: number,
      call_random_id: callRandomId,
    };
    if (this.profile.callerId !== null) frame.caller_id = this.profile.callerId;
    // The command goes out first, the bookkeeping follows in the same task: no reply can be read before it.
    this.send(session, frame);
    const call = this.tracker.addDialled(callRandomId, number);
    const accepted = new Promise<void>((resolve, reject) => {
      this.pending.add('call.create', call.callId, true, resolve, (error) => {
        this.dropDialledCall(call, error);
        reject(error);
      });
    });
    // The Bridge gave up waiting: should VIPTel still place the call, hang it up (it waits for the unique_id).
    const abandon = (): void => void this.hangup(call.callId).catch(() => undefined);
    signal.addEventListener('abort', abandon, { once: true });
    try {
      await accepted;
    } finally {
      signal.removeEventListener('abort', abandon);
    }
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

  // ---- connection (supervised by LinkSupervisor: backoff, slow retry after a refused login) ----

  private async open(attempt: LinkAttempt): Promise<void> {
    const ca = await readCa(this.profile);
    if (attempt.stale) return;
    this.log.info('connecting to VIPTel', { url: this.profile.url, attempt: attempt.attempt });
    const socket = new WebSocket(this.profile.url, {
      ca,
      rejectUnauthorized: this.profile.rejectUnauthorized,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      maxPayload: MAX_FRAME_BYTES,
      // Like the Patriot side: a server that accepted deflate would add a zlib thread-pool hop per frame.
      perMessageDeflate: false,
    });
    let markClosed = (): void => undefined;
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    const session: Session = {
      socket,
      attempt,
      disposeSecrets: [],
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
      session.lastError = describeSocketError(error, safeHost(this.profile.url, 'the VIPTel server'));
      const status = upgradeStatus(error);
      // VIPTel admits only whitelisted IP addresses; a refusal at the upgrade is not worth hammering.
      if (status === 401 || status === 403) {
        session.authFailure = `The VIPTel server refused this connection (HTTP ${status}). Ask VIPTel to allow this computer's public IP address.`;
      }
    });
    socket.on('close', (code) => this.onClose(session, code));
  }

  private onClose(session: Session, code: number): void {
    for (const dispose of session.disposeSecrets.splice(0)) dispose();
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
    this.pending.failAll(new PbxError('offline', this.stopped ? 'The VIPTel profile stopped.' : reason));
    for (const event of this.tracker.endAll('link-lost', detail)) this.emitCall(event);
    if (this.ignored > 0) this.log.debug('events of other extensions ignored', { count: this.ignored });
    session.attempt.lost(session.authFailure ? { reason, refused: 'auth' } : { reason });
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
        const request = this.pending.oldestConfirmable();
        if (request) this.pending.settle(request);
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
    // The nonce is public (the PBX sent it in clear); the hash is a secret of this connection only.
    session.disposeSecrets.push(this.log.addSecret(hash));
    session.loginSent = true;
    this.send(session, { action: 'user.login', username: this.profile.username, password: hash });
  }

  private loggedIn(session: Session): void {
    if (session.loggedIn) return;
    session.loggedIn = true;
    this.log.info('logged in to VIPTel', { extension: this.profile.extension });
    session.attempt.online(`extension ${this.profile.extension}`);
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
        this.pending.settleCall(call.callId);
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
    for (const request of this.pending.of(call.callId)) {
      if (request.action === 'call.create') {
        this.log.debug('VIPTel accepted the call', { callId: call.callId });
        this.pending.settle(request);
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
    this.pending.add(action, callId, frame !== null, resolve, reject);
    if (frame) this.send(session, frame);
  }

  private failRequest(reply: ReplyCode, frame: ViptelFrame): void {
    const request = this.pending.answeredBy(reply.effect);
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
      this.pending.settleCall(request.callId);
      return;
    }
    const message = `${reply.explanation}${errors ? ` (${errors})` : ''}`;
    this.log.warn(`VIPTel refused the ${describeAction(request.action)}`, {
      callId: request.callId,
      code: reply.code,
      message: reply.message,
      errors: errors || undefined,
    });
    this.pending.settle(request, new PbxError(errorCodeFor(reply), message));
  }

  /** A dial that failed: forget the call, and a hangup waiting for it has nothing left to do. */
  private dropDialledCall(call: TrackedCall, error: PbxError): void {
    this.tracker.forget(call);
    this.pending.settleCall(call.callId);
    this.log.warn('dial failed', { callId: call.callId, code: error.code, reason: error.message });
  }

  private requireOnline(): Session {
    const session = this.session;
    if (session?.loggedIn && session.socket.readyState === WebSocket.OPEN && !this.stopped) return session;
    throw this.stopped
      ? new PbxError('offline', 'The VIPTel profile stopped.')
      : this.supervisor.offlineError();
  }

  private send(session: Session, frame: ViptelFrame): void {
    session.socket.send(JSON.stringify(frame), (error) => {
      if (error) this.log.warn('could not send to VIPTel', { action: frame.action, error: errorText(error) });
    });
    if (frame.action !== 'user.login') this.log.debug('sent', { action: frame.action });
  }

  // ---- stop ----

  private async shutdown(): Promise<void> {
    this.stopped = true;
    await this.supervisor.stop();
    this.pending.failAll(new PbxError('offline', 'The VIPTel profile stopped.'));
    for (const event of this.tracker.endAll('link-lost', 'Dialler Bridge stopped following the call')) {
      this.emitCall(event);
    }
    this.log.info('VIPTel adapter stopped');
  }

  /** Logout ("110 Bye"), then the close handshake; cut the socket if the server does not answer. */
  private async closeSession(): Promise<void> {
    const session = this.session;
    if (!session) return;
    if (session.loggedIn && session.socket.readyState === WebSocket.OPEN) {
      this.send(session, { action: 'user.logout' });
      // The server answers "110 Bye" and closes; the Bye handler closes our side at once.
      await settlesWithin(session.closed, this.timing.logoutGraceMs);
    }
    if (session.socket.readyState !== WebSocket.CLOSED) {
      if (session.socket.readyState === WebSocket.OPEN) session.socket.close(1000);
      else session.socket.terminate();
      if (!(await settlesWithin(session.closed, CLOSE_GRACE_MS))) session.socket.terminate();
    }
    await settlesWithin(session.closed, CLOSE_GRACE_MS);
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

  private emitCall(event: PbxCallEvent | null): void {
    if (!event) return;
    // An event of a dialled call proves the PBX took the dial, even before its create_response.
    const dial = this.pending.dialOf(event.callId);
    if (dial) this.pending.settle(dial);
    this.emit(event);
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

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
