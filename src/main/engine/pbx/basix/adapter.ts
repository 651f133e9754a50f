// The Brastel Basix adapter: ws_cti events (ETF) for the operator's channels, REST call_user to dial,
// a ws_cti hangup command to hang up. Connection supervision is the shared LinkSupervisor.
import type { BackoffOptions } from '../../util/backoff';
import { PbxError, type AdapterContext, type PbxAdapter } from '../adapter';
import type { LinkAttempt } from '../common/link-supervisor';
import { definedOnly } from '../common/settle';
import { SupervisedAdapter } from '../common/supervised-adapter';
import { readCa } from '../common/tls-options';
import { BasixCallTracker, type BasixCall } from './call-tracker';
import { callUser } from './call-user';
import { CtiConnection, type CtiClose } from './cti-connection';
import { CtiSession, type SessionStatus } from './cti-session';
import type { BasixProfile } from './profile';

/** Timings only: production uses the defaults, tests shorten them. */
export interface BasixAdapterOptions {
  backoff?: BackoffOptions;
  /** WebSocket ping period; a server silent for a whole period is dropped (default 30 s). */
  keepAliveMs?: number;
  /** TCP + TLS + upgrade (default 10 s). */
  openTimeoutMs?: number;
  /** call_user's whole exchange (default 10 s; the Bridge reports a slow dial failed after 2 s anyway). */
  dialTimeoutMs?: number;
  /** An accepted dial whose channel does not show up by then ends as failed (default 15 s). */
  callProgressTimeoutMs?: number;
  /** After a refused login (401/403): at most one retry a minute (contract), or retryNow(). */
  authRetryMs?: number;
  /** After connection_limit_reached / connection_replaced: stay away long, never fight for the slot. */
  busyRetryMs?: number;
  /** stop(): time for the close handshake (default 700 ms). */
  stopStepMs?: number;
}

const DEFAULTS = {
  keepAliveMs: 30_000,
  openTimeoutMs: 10_000,
  dialTimeoutMs: 10_000,
  callProgressTimeoutMs: 15_000,
  authRetryMs: 60_000,
  busyRetryMs: 10 * 60_000,
  stopStepMs: 700,
};

/** The slot messages of ws_cti: another program holds this user's connections. */
const SLOT_MESSAGES: Record<string, string> = {
  connection_limit_reached:
    'Basix refused the CTI connection: the limit of 2 connections for this user and app name is reached. ' +
    "Another program (or another Dialler Bridge) uses this Basix user's CTI connection.",
  connection_replaced:
    'Basix closed the CTI connection because another program took it over (forced). ' +
    "Another program (or another Dialler Bridge) uses this Basix user's CTI connection.",
};

export class BasixAdapter extends SupervisedAdapter<BasixProfile> implements PbxAdapter {
  private readonly timings: typeof DEFAULTS;
  private connection: CtiConnection | null = null;
  private tracker: BasixCallTracker | null = null;
  private readonly dialsInFlight = new Set<Promise<unknown>>();
  private ca: string | undefined;

  constructor(profile: BasixProfile, ctx: AdapterContext, options: BasixAdapterOptions = {}) {
    const { backoff, ...overrides } = options;
    const timings = { ...DEFAULTS, ...definedOnly(overrides) };
    super(profile, ctx, {
      pbx: 'Basix',
      secrets: [profile.token],
      backoff,
      authRetryMs: timings.authRetryMs,
      busyRetryMs: timings.busyRetryMs,
    });
    this.timings = timings;
  }

  async dial(callId: string, number: string, signal: AbortSignal): Promise<void> {
    const tracker = this.tracker;
    if (this.isStopping || !tracker || !this.supervisor.isOnline) throw this.supervisor.offlineError();
    tracker.dialStarted();
    const request = callUser({
      profile: this.profile,
      destination: number,
      ca: this.ca,
      rejectUnauthorized: this.profile.rejectUnauthorized,
      timeoutMs: this.timings.dialTimeoutMs,
    });
    this.dialsInFlight.add(request);
    let uuids: string[];
    try {
      uuids = await request;
    } catch (error) {
      tracker.dialSettled();
      throw error instanceof PbxError ? error : new PbxError('failed', String(error));
    } finally {
      this.dialsInFlight.delete(request);
    }
    if (tracker !== this.tracker) {
      // The link dropped while Basix placed the call: nothing follows it any more, so it must not run on.
      for (const uuid of uuids) this.connection?.send({ cmd: 'hangup', uuid });
      throw new PbxError('offline', 'The connection to Basix was lost while dialling; the call was hung up.');
    }
    const call = tracker.dialAccepted(uuids, number, callId);
    if (signal.aborted) {
      // Accepted after the Bridge told the operator the dial failed: never leave it running untracked.
      this.clear(call);
      throw new PbxError('timeout', 'Basix accepted the call too late; it was hung up.');
    }
    this.log.debug('basix dial accepted', { callId, legs: uuids.length });
  }

  async hangup(callId?: string): Promise<void> {
    if (callId === undefined) {
      await Promise.allSettled([...this.dialsInFlight]);
      for (const call of this.tracker?.live() ?? []) this.clear(call);
      return;
    }
    const tracker = this.tracker;
    if (!tracker) throw this.supervisor.offlineError();
    const call = tracker.byId(callId);
    if (!call) throw new PbxError('not-found', 'That call has already ended');
    this.clear(call);
  }

  override warnings(): string[] {
    const warnings = super.warnings();
    if (this.profile.forced) {
      warnings.push(
        'This Basix profile takes over the CTI connection when the limit is reached ("forced": true): ' +
          'another program using the same user and app name will be disconnected.',
      );
    }
    return warnings;
  }

  /** The hangup command for every leg of the call; its end comes back as channel events. */
  private clear(call: BasixCall): void {
    const tracker = this.tracker;
    tracker?.markClearing(call);
    const uuids = tracker?.uuidsOf(call) ?? [];
    let sent = 0;
    for (const uuid of uuids) if (this.connection?.send({ cmd: 'hangup', uuid })) sent += 1;
    if (sent === 0 && uuids.length > 0) {
      throw new PbxError('offline', 'The connection to Basix is down; the call could not be hung up.');
    }
  }

  protected async open(attempt: LinkAttempt): Promise<void> {
    this.ca = await readCa(this.profile);
    if (attempt.stale) return;
    const connection = new CtiConnection({
      profile: this.profile,
      ca: this.ca,
      rejectUnauthorized: this.profile.rejectUnauthorized,
      log: this.log,
      openTimeoutMs: this.timings.openTimeoutMs,
      keepAliveMs: this.timings.keepAliveMs,
    });
    const tracker = new BasixCallTracker({
      emit: this.emit,
      newCallId: () => this.ctx.newCallId(),
      log: this.log,
      progressTimeoutMs: this.timings.callProgressTimeoutMs,
    });
    const session = new CtiSession({
      userName: this.profile.userName,
      tracker,
      log: this.log,
      onStatus: (status) => this.onSessionStatus(attempt, status),
      onSystemMessage: (message) => this.onSystemMessage(connection, message),
    });
    this.connection = connection;
    this.tracker = tracker;
    connection.on('message', (message) => {
      if (!attempt.stale) session.receive(message);
    });
    connection.once('close', (close) => this.onClosed(connection, attempt, close));
  }

  private onSessionStatus(attempt: LinkAttempt, status: SessionStatus): void {
    if (attempt.stale) return;
    if (status.ready) {
      this.log.info('basix online', { detail: status.detail });
      attempt.online(status.detail);
    } else {
      attempt.unusable(status.reason);
    }
  }

  private onSystemMessage(connection: CtiConnection, message: string): void {
    const slot = SLOT_MESSAGES[message];
    if (slot) {
      connection.note({ reason: slot, refused: 'busy' });
      void connection.close(slot, this.timings.stopStepMs);
      return;
    }
    if (message === 'logout') {
      connection.note({ reason: 'Basix ended the CTI session (logout).' });
      void connection.close('logout', this.timings.stopStepMs);
      return;
    }
    this.log.info('basix system message', { message });
  }

  private onClosed(connection: CtiConnection, attempt: LinkAttempt, close: CtiClose): void {
    if (this.connection === connection) {
      this.connection = null;
      this.tracker?.dispose('link-lost', `Connection to Basix lost: ${close.reason}`);
      this.tracker = null;
    }
    // Also after closeConnection(): retryNow closes a stuck attempt and relies on `lost` to reconnect.
    attempt.lost(close.refused ? { reason: close.reason, refused: close.refused } : { reason: close.reason });
  }

  protected async closeConnection(): Promise<void> {
    const connection = this.connection;
    // ws_cti has no logout: a clean close frees the connection slot at once.
    this.tracker?.dispose('link-lost', 'Basix monitoring stopped');
    this.tracker = null;
    this.connection = null;
    if (connection) await connection.close('Stopped', this.timings.stopStepMs);
  }
}

export function createBasixAdapter(
  profile: BasixProfile,
  ctx: AdapterContext,
  options?: BasixAdapterOptions,
): BasixAdapter {
  return new BasixAdapter(profile, ctx, options);
}
