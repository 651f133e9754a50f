// The OpenMethods Harmony adapter: Socket Transport to the Integration Server, an agent session on the
// Interaction Processor, and the operator's Telephony channel.
import type { LinkState } from '../../../../shared/bridge-types';
import type { Logger } from '../../log/logger';
import type { BackoffOptions } from '../../util/backoff';
import { PbxError, type AdapterContext, type PbxAdapter } from '../adapter';
import { LinkSupervisor, type LinkAttempt, type LinkLoss } from '../common/link-supervisor';
import { callEmitter, type CallEmitter } from '../common/safe-events';
import { definedOnly } from '../common/settle';
import { readCa, tlsWarnings } from '../common/tls-options';
import { HarmonyConnection } from './connection';
import type { HarmonyProfile } from './profile';
import { DcpSession, SessionRefusedError } from './session';

/** Timings of the link only (request timeouts are in the profile's `protocol.timeouts`). */
export interface HarmonyAdapterOptions {
  backoff?: BackoffOptions;
  /** Wait after wrong credentials (default 1 min); retryNow() skips it. */
  authRetryMs?: number;
  /** Wait after "session in use" (default 1 min). */
  busyRetryMs?: number;
}

const DEFAULTS = { authRetryMs: 60_000, busyRetryMs: 60_000 };

export class HarmonyAdapter implements PbxAdapter {
  private readonly supervisor: LinkSupervisor;
  private readonly log: Logger;
  private readonly emit: CallEmitter;
  private connection: HarmonyConnection | null = null;
  private session: DcpSession | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly profile: HarmonyProfile,
    private readonly ctx: AdapterContext,
    options: HarmonyAdapterOptions = {},
  ) {
    const { backoff, ...timings } = options;
    const { authRetryMs, busyRetryMs } = { ...DEFAULTS, ...definedOnly(timings) };
    this.log = ctx.log.child({ component: 'harmony', profile: profile.id });
    this.log.addSecret(profile.password);
    this.emit = callEmitter(ctx, this.log);
    this.supervisor = new LinkSupervisor({
      pbx: 'Harmony',
      log: this.log,
      onLink: (state) => ctx.events.link(state),
      open: (attempt) => this.open(attempt),
      close: () => this.logoutAndClose(),
      backoff,
      authRetryMs,
      busyRetryMs,
    });
  }

  get link(): LinkState {
    return this.supervisor.state;
  }

  start(): void {
    if (this.stopping) return;
    if (!this.profile.rejectUnauthorized) {
      this.log.warn('TLS certificate checks are off for this Harmony server (rejectUnauthorized: false)');
    }
    this.supervisor.start();
  }

  stop(): Promise<void> {
    this.stopping ??= this.supervisor.stop();
    return this.stopping;
  }

  async dial(callId: string, number: string, signal: AbortSignal): Promise<void> {
    const session = this.session;
    if (this.stopping || !session?.isReady || !this.supervisor.isOnline) throw this.offlineError();
    await session.dial(callId, number, signal);
    this.log.info('harmony dial accepted', { callId });
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
    return tlsWarnings('Harmony', this.profile);
  }

  retryNow(): void {
    this.supervisor.retryNow();
  }

  private async open(attempt: LinkAttempt): Promise<void> {
    const ca = await readCa(this.profile);
    if (attempt.stale) return;
    const connection = new HarmonyConnection({
      url: this.profile.url,
      protocol: this.profile.protocol,
      ca,
      rejectUnauthorized: this.profile.rejectUnauthorized,
      log: this.log,
    });
    this.connection = connection;
    const session = new DcpSession({
      connection,
      profile: this.profile,
      log: this.log,
      emitCall: this.emit,
      newCallId: () => this.ctx.newCallId(),
    });
    this.session = session;
    let refusal: LinkLoss | null = null;
    connection.once('close', (reason) => {
      if (this.connection === connection) this.connection = null;
      if (this.session === session) this.session = null;
      session.dispose(`Connection to the Harmony server lost: ${reason}`);
      // Ignored by the supervisor when stopping or superseded; otherwise it reconnects.
      attempt.lost(refusal ?? { reason });
    });
    try {
      await connection.ready();
      const detail = await session.start();
      if (attempt.stale) return;
      this.log.info('harmony session ready', { agentId: this.profile.agentId });
      attempt.online(detail);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof SessionRefusedError) refusal = { reason, refused: error.refused };
      else refusal = { reason };
      if (connection.isOpen) await connection.close(reason);
    }
  }

  /** Logout (bounded by protocol.timeouts.logoutMs), then close. */
  private async logoutAndClose(): Promise<void> {
    const session = this.session;
    const connection = this.connection;
    this.session = null;
    this.connection = null;
    if (session) {
      // The Bridge hangs up the operator's calls first where it wants to; here only the session ends.
      await session.logout();
      session.dispose('Harmony session stopped');
    }
    if (connection) await connection.close('Stopped');
  }

  private offlineError(): PbxError {
    if (this.stopping) return new PbxError('offline', 'The Harmony connection is stopped');
    return this.supervisor.offlineError();
  }
}

export function createHarmonyAdapter(
  profile: HarmonyProfile,
  ctx: AdapterContext,
  options?: HarmonyAdapterOptions,
): HarmonyAdapter {
  return new HarmonyAdapter(profile, ctx, options);
}
