// The OpenMethods Harmony adapter: Socket Transport to the Integration Server, an agent session on the
// Interaction Processor, and the operator's Telephony channel.
import type { BackoffOptions } from '../../util/backoff';
import { PbxError, type AdapterContext, type PbxAdapter } from '../adapter';
import type { LinkAttempt, LinkLoss } from '../common/link-supervisor';
import { definedOnly } from '../common/settle';
import { SupervisedAdapter } from '../common/supervised-adapter';
import { readCa } from '../common/tls-options';
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

export class HarmonyAdapter extends SupervisedAdapter<HarmonyProfile> implements PbxAdapter {
  private connection: HarmonyConnection | null = null;
  private session: DcpSession | null = null;

  constructor(profile: HarmonyProfile, ctx: AdapterContext, options: HarmonyAdapterOptions = {}) {
    const { backoff, ...timings } = options;
    const { authRetryMs, busyRetryMs } = { ...DEFAULTS, ...definedOnly(timings) };
    super(profile, ctx, { pbx: 'Harmony', secrets: [profile.password], backoff, authRetryMs, busyRetryMs });
  }

  async dial(callId: string, number: string, signal: AbortSignal): Promise<void> {
    const session = this.session;
    if (this.isStopping || !session?.isReady || !this.supervisor.isOnline) throw this.offlineError();
    await session.dial(callId, number, signal);
    this.log.debug('harmony dial accepted', { callId });
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
  protected async closeConnection(): Promise<void> {
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
    if (this.isStopping) return new PbxError('offline', 'The Harmony connection is stopped');
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
