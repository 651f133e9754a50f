// The innovaphone PBX adapter: AppWebsocket login as an App object, RCC monitoring of the operator's user.
import type { BackoffOptions } from '../../util/backoff';
import { PbxError, type AdapterContext, type PbxAdapter } from '../adapter';
import type { LinkAttempt } from '../common/link-supervisor';
import { definedOnly } from '../common/settle';
import { SupervisedAdapter } from '../common/supervised-adapter';
import { readCa } from '../common/tls-options';
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

export class InnovaphoneAdapter extends SupervisedAdapter<InnovaphoneProfile> implements PbxAdapter {
  private readonly timings: typeof DEFAULTS;
  private connection: AppConnection | null = null;
  private session: RccSession | null = null;

  constructor(profile: InnovaphoneProfile, ctx: AdapterContext, options: InnovaphoneAdapterOptions = {}) {
    const { backoff, ...overrides } = options;
    const timings = { ...DEFAULTS, ...definedOnly(overrides) };
    super(profile, ctx, {
      pbx: 'innovaphone',
      secrets: [profile.password],
      backoff,
      authRetryMs: timings.authRetryMs,
    });
    this.timings = timings;
  }

  async dial(callId: string, number: string, signal: AbortSignal): Promise<void> {
    const session = this.session;
    if (this.isStopping || !session?.isMonitoring) throw this.offlineError();
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

  protected async open(attempt: LinkAttempt): Promise<void> {
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
    if (this.connection === connection) {
      this.connection = null;
      this.session?.dispose(`Connection to the PBX lost: ${reason}`);
      this.session = null;
    }
    // Also after closeConnection(): retryNow closes a stuck attempt and relies on `lost` to reconnect.
    attempt.lost(refused ? { reason, refused: 'auth' } : { reason });
  }

  /** UserEnd, then the close handshake (each step bounded). */
  protected async closeConnection(): Promise<void> {
    const session = this.session;
    const connection = this.connection;
    if (session) await session.end(this.timings.stopStepMs);
    session?.dispose('Monitoring stopped');
    this.session = null;
    this.connection = null;
    if (connection) await connection.close('Stopped', this.timings.stopStepMs);
  }

  private offlineError(): PbxError {
    if (this.isStopping) return new PbxError('offline', 'The innovaphone connection is stopped');
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
