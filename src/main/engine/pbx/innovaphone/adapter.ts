// The innovaphone PBX adapter: AppWebsocket login as an App object, RCC monitoring of the operator's user.
import type { LinkState } from '../../../../shared/bridge-types';
import type { Logger } from '../../log/logger';
import type { BackoffOptions } from '../../util/backoff';
import { PbxError, type AdapterContext, type PbxAdapter } from '../adapter';
import { LinkSupervisor, type LinkAttempt } from '../common/link-supervisor';
import { callEmitter, type CallEmitter } from '../common/safe-events';
import { definedOnly } from '../common/settle';
import { readCa, tlsWarnings } from '../common/tls-options';
import { AppConnection, LoginRejectedError } from './app-connection';
import type { InnovaphoneProfile } from './profile';
import { RccSession, type SessionStatus } from './rcc-session';

/** Timings only: production uses the defaults, tests shorten them. */
export interface InnovaphoneAdapterOptions {
  backoff?: BackoffOptions;
  /** Idle time before KeepAlive + ping (default 30 s). */
  keepAliveMs?: number;
  /** Login, Initialize, UserInitialize, UserClear (default 5 s). */
  requestTimeoutMs?: number;
  /** UserCall → UserCallResult (default 1.5 s, inside the bridge's 2 s dial budget). */
  dialTimeoutMs?: number;
  /** An accepted dial with no CallInfo by then ends as failed (default 10 s). */
  callProgressTimeoutMs?: number;
  /** Wait after a refused login before trying again (default 5 min); retryNow() skips it. */
  authRetryMs?: number;
  /** stop(): time for UserEndResult, then for the close handshake (default 700 ms each). */
  stopStepMs?: number;
}

const DEFAULTS = {
  keepAliveMs: 30_000,
  requestTimeoutMs: 5_000,
  dialTimeoutMs: 1_500,
  callProgressTimeoutMs: 10_000,
  authRetryMs: 5 * 60_000,
  stopStepMs: 700,
};

export class InnovaphoneAdapter implements PbxAdapter {
  private readonly timings: typeof DEFAULTS;
  private readonly supervisor: LinkSupervisor;
  private readonly log: Logger;
  private readonly emit: CallEmitter;
  private connection: AppConnection | null = null;
  private session: RccSession | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly profile: InnovaphoneProfile,
    private readonly ctx: AdapterContext,
    options: InnovaphoneAdapterOptions = {},
  ) {
    const { backoff, ...timings } = options;
    this.timings = { ...DEFAULTS, ...definedOnly(timings) };
    this.log = ctx.log.child({ component: 'innovaphone', profile: profile.id });
    this.log.addSecret(profile.password);
    this.emit = callEmitter(ctx, this.log);
    this.supervisor = new LinkSupervisor({
      pbx: 'innovaphone',
      log: this.log,
      onLink: (state) => ctx.events.link(state),
      open: (attempt) => this.open(attempt),
      close: () => this.closeConnection(),
      backoff,
      authRetryMs: this.timings.authRetryMs,
    });
  }

  get link(): LinkState {
    return this.supervisor.state;
  }

  start(): void {
    if (this.stopping) return;
    if (!this.profile.rejectUnauthorized) {
      this.log.warn('TLS certificate checks are off for this PBX (rejectUnauthorized: false)');
    }
    this.supervisor.start();
  }

  stop(): Promise<void> {
    this.stopping ??= this.supervisor.stop();
    return this.stopping;
  }

  async dial(callId: string, number: string, signal: AbortSignal): Promise<void> {
    const session = this.session;
    if (this.stopping || !session?.isMonitoring) throw this.offlineError();
    await session.dial(callId, number, signal);
    this.log.debug('innovaphone dial accepted', { callId });
  }

  async hangup(callId?: string): Promise<void> {
    const session = this.session;
    if (!session) {
      // Offline: calls ended with the connection, so "all calls" is nothing; a named call is unknown.
      if (callId === undefined) return;
      throw this.offlineError();
    }
    await session.hangup(callId);
  }

  warnings(): string[] {
    return tlsWarnings('innovaphone', this.profile);
  }

  /** Connect again at once (the user asked: e.g. after fixing the App password on the PBX). */
  retryNow(): void {
    this.supervisor.retryNow();
  }

  private async open(attempt: LinkAttempt): Promise<void> {
    const ca = await readCa(this.profile);
    if (attempt.stale) return;
    const connection = new AppConnection({
      url: this.profile.url,
      app: this.profile.app,
      password: this.profile.password,
      ca,
      rejectUnauthorized: this.profile.rejectUnauthorized,
      log: this.log,
      loginTimeoutMs: this.timings.requestTimeoutMs,
      keepAliveMs: this.timings.keepAliveMs,
    });
    this.connection = connection;
    connection.once('close', (reason) => void this.onClosed(connection, attempt, reason));
    try {
      await connection.loggedIn();
    } catch {
      return; // onClosed handles every failure, login refusals included.
    }
    this.log.info('innovaphone logged in', { app: this.profile.app });
    const session = new RccSession({
      connection,
      app: this.profile.app,
      user: this.profile.user,
      clearCause: this.profile.clearCause,
      log: this.log,
      emitCall: this.emit,
      newCallId: () => this.ctx.newCallId(),
      onStatus: (status) => this.onSessionStatus(session, attempt, status),
      onFatal: (reason) => void connection.close(reason, this.timings.stopStepMs),
      requestTimeoutMs: this.timings.requestTimeoutMs,
      dialTimeoutMs: this.timings.dialTimeoutMs,
      progressTimeoutMs: this.timings.callProgressTimeoutMs,
    });
    this.session = session;
    try {
      await session.start();
    } catch (error) {
      if (connection.isOpen) await connection.close((error as Error).message, this.timings.stopStepMs);
    }
  }

  private onSessionStatus(session: RccSession, attempt: LinkAttempt, status: SessionStatus): void {
    if (this.session !== session || attempt.stale) return;
    if (status.monitoring) {
      attempt.online(status.detail);
      return;
    }
    // Logged in, but the operator's user is not (yet) visible: offline with the PBX's reason, no reconnect.
    attempt.unusable(status.reason);
  }

  private async onClosed(connection: AppConnection, attempt: LinkAttempt, reason: string): Promise<void> {
    const refused = await connection.loggedIn().then(
      () => false,
      (error: unknown) => error instanceof LoginRejectedError,
    );
    if (this.connection !== connection) return;
    this.connection = null;
    this.session?.dispose(`Connection to the PBX lost: ${reason}`);
    this.session = null;
    attempt.lost(refused ? { reason, refused: 'auth' } : { reason });
  }

  /** UserEnd, then the close handshake (each step bounded). */
  private async closeConnection(): Promise<void> {
    const session = this.session;
    const connection = this.connection;
    if (session) await session.end(this.timings.stopStepMs);
    session?.dispose('Monitoring stopped');
    this.session = null;
    this.connection = null;
    if (connection) await connection.close('Stopped', this.timings.stopStepMs);
  }

  private offlineError(): PbxError {
    if (this.stopping) return new PbxError('offline', 'The innovaphone connection is stopped');
    const state = this.supervisor.state;
    if (state.status === 'offline' || state.status === 'auth-failed') {
      return new PbxError(state.status === 'auth-failed' ? 'auth-failed' : 'offline', state.reason);
    }
    return this.supervisor.offlineError();
  }
}

export function createInnovaphoneAdapter(
  profile: InnovaphoneProfile,
  ctx: AdapterContext,
  options?: InnovaphoneAdapterOptions,
): InnovaphoneAdapter {
  return new InnovaphoneAdapter(profile, ctx, options);
}
