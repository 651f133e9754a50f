// The innovaphone PBX adapter: AppWebsocket login as an App object, RCC monitoring of the operator's user.
import { readFile } from 'node:fs/promises';
import type { LinkState } from '../../../../shared/bridge-types';
import type { Logger } from '../../log/logger';
import { Backoff, type BackoffOptions } from '../../util/backoff';
import {
  PbxError,
  type AdapterContext,
  type DialAccepted,
  type PbxAdapter,
  type PbxCallEvent,
} from '../adapter';
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
  private state: LinkState = { status: 'offline', reason: 'Not started' };
  private readonly timings: typeof DEFAULTS;
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private connection: AppConnection | null = null;
  private session: RccSession | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private started = false;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly profile: InnovaphoneProfile,
    private readonly ctx: AdapterContext,
    options: InnovaphoneAdapterOptions = {},
  ) {
    const { backoff, ...timings } = options;
    this.timings = { ...DEFAULTS, ...stripUndefined(timings) };
    this.backoff = new Backoff(backoff);
    this.log = ctx.log.child({ component: 'innovaphone', profile: profile.id });
    this.log.addSecret(profile.password);
  }

  get link(): LinkState {
    return this.state;
  }

  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    if (!this.profile.rejectUnauthorized) {
      this.log.warn('TLS certificate checks are off for this PBX (rejectUnauthorized: false)');
    }
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  async dial(number: string): Promise<DialAccepted> {
    const session = this.session;
    if (this.stopping || !session?.isMonitoring) throw new PbxError('offline', this.offlineMessage());
    const callId = await session.dial(number);
    this.log.info('innovaphone dial accepted', { callId });
    return { callId };
  }

  async hangup(callId?: string): Promise<void> {
    const session = this.session;
    if (!session) {
      // Offline: calls ended with the connection, so "all calls" is nothing; a named call is unknown.
      if (callId === undefined) return;
      throw new PbxError('offline', this.offlineMessage());
    }
    await session.hangup(callId);
  }

  warnings(): string[] {
    const warnings: string[] = [];
    if (!this.profile.rejectUnauthorized) {
      warnings.push(
        'TLS certificate checks are off for this PBX (rejectUnauthorized: false): anyone on the network path could pose as the PBX. Prefer "caFile" with the PBX certificate.',
      );
    }
    const url = safeUrl(this.profile.url);
    if (url?.protocol === 'ws:' && !isLoopback(url.hostname)) {
      warnings.push(
        'The PBX connection is not encrypted (ws://): call data crosses the network in clear text.',
      );
    }
    return warnings;
  }

  /** Connect again at once (the user asked: e.g. after fixing the App password on the PBX). */
  retryNow(): void {
    if (!this.started || this.stopping) return;
    this.backoff.reset();
    this.clearRetryTimer();
    if (this.connection) void this.connection.close('Reconnecting on request', this.timings.stopStepMs);
    else void this.connect();
  }

  private async connect(): Promise<void> {
    this.retryTimer = null;
    if (this.stopping) return;
    this.attempt += 1;
    const lastError = 'reason' in this.state ? this.state.reason : undefined;
    this.setLink({ status: 'connecting', attempt: this.attempt, ...(lastError ? { lastError } : {}) });
    let ca: string | undefined;
    if (this.profile.caFile) {
      try {
        ca = await readFile(this.profile.caFile, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
        this.scheduleRetry(`Cannot read caFile ${this.profile.caFile} (${code})`, false);
        return;
      }
      if (this.stopping) return;
    }
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
    connection.once('close', (reason) => void this.onClosed(connection, reason));
    try {
      await connection.loggedIn();
    } catch {
      return; // onClosed handles every failure, login refusals included.
    }
    this.log.info('innovaphone logged in', { app: this.profile.app });
    this.backoff.connected();
    this.attempt = 0;
    const session = new RccSession({
      connection,
      app: this.profile.app,
      user: this.profile.user,
      clearCause: this.profile.clearCause,
      log: this.log,
      emitCall: (event) => this.emitCall(event),
      onStatus: (status) => this.onSessionStatus(session, status),
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

  private onSessionStatus(session: RccSession, status: SessionStatus): void {
    if (this.session !== session || this.stopping) return;
    if (status.monitoring) this.setLink({ status: 'online', detail: status.detail });
    else this.setLink({ status: 'offline', reason: status.reason });
  }

  private async onClosed(connection: AppConnection, reason: string): Promise<void> {
    const refused = await connection.loggedIn().then(
      () => false,
      (error: unknown) => error instanceof LoginRejectedError,
    );
    if (this.connection !== connection) return;
    this.connection = null;
    this.session?.dispose(`Connection to the PBX lost: ${reason}`);
    this.session = null;
    this.backoff.disconnected();
    if (this.stopping) return;
    this.scheduleRetry(reason, refused);
  }

  private scheduleRetry(reason: string, loginRefused: boolean): void {
    if (this.stopping) return;
    const delay = loginRefused ? this.timings.authRetryMs : this.backoff.nextDelay();
    if (loginRefused) {
      const minutes = Math.max(1, Math.round(delay / 60_000));
      this.setLink({ status: 'auth-failed', reason: `${reason} Next try in about ${minutes} min.` });
    } else {
      this.setLink({ status: 'offline', reason, retryAt: Date.now() + delay });
    }
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private async shutdown(): Promise<void> {
    this.clearRetryTimer();
    const session = this.session;
    const connection = this.connection;
    if (session) await session.end(this.timings.stopStepMs);
    session?.dispose('Monitoring stopped');
    if (connection) await connection.close('Stopped', this.timings.stopStepMs);
    this.session = null;
    this.connection = null;
    this.setLink({ status: 'stopped' });
  }

  private clearRetryTimer(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private offlineMessage(): string {
    if (this.stopping) return 'The innovaphone connection is stopped';
    const state = this.state;
    if (state.status === 'offline' || state.status === 'auth-failed') return state.reason;
    if (state.status === 'connecting') return 'Still connecting to the PBX';
    return 'The PBX is not ready';
  }

  private setLink(state: LinkState): void {
    this.state = state;
    if (state.status === 'offline' || state.status === 'auth-failed') {
      this.log.warn('innovaphone link', { status: state.status, reason: state.reason });
    } else {
      this.log.info('innovaphone link', { status: state.status });
    }
    try {
      this.ctx.events.link(state);
    } catch (error) {
      this.log.error('link listener failed', { error });
    }
  }

  private emitCall(event: PbxCallEvent): void {
    this.log.info('innovaphone call', { ...event });
    try {
      this.ctx.events.call(event);
    } catch (error) {
      this.log.error('call listener failed', { error });
    }
  }
}

export function createInnovaphoneAdapter(
  profile: InnovaphoneProfile,
  ctx: AdapterContext,
  options?: InnovaphoneAdapterOptions,
): InnovaphoneAdapter {
  return new InnovaphoneAdapter(profile, ctx, options);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function safeUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
}
