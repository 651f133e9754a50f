// Connection supervision shared by every PBX adapter: link state, reconnects with full-jitter backoff, a
// slow retry after a refused login, "retry now", and a graceful stop. An adapter supplies only `open`.
import type { LinkState } from '../../../../shared/bridge-types';
import type { Logger } from '../../log/logger';
import { Backoff, type BackoffOptions } from '../../util/backoff';
import { PbxError } from '../adapter';

/** Why a connection ended. `refused`: the PBX said no to this login; retry only slowly. */
export interface LinkLoss {
  reason: string;
  /** 'auth': wrong credentials or not allowed; 'busy': the slot is taken by another client. */
  refused?: 'auth' | 'busy';
}

/** One connection attempt, as the supervisor sees it. */
export interface LinkAttempt {
  readonly attempt: number;
  /** Logged in and ready: the link is online. */
  online(detail: string): void;
  /** Connected but not usable (e.g. the operator's user is not visible): offline, no reconnect. */
  unusable(reason: string): void;
  /** The connection ended (call once; later calls are ignored). */
  lost(loss: LinkLoss): void;
  /** True once this attempt has been superseded or the supervisor stopped: drop whatever it still does. */
  readonly stale: boolean;
}

export interface LinkSupervisorOptions {
  /** The PBX's name in operator-facing words, e.g. "VIPTel". */
  pbx: string;
  log: Logger;
  onLink(state: LinkState): void;
  /** Opens one connection and logs in, reporting through `attempt`. May throw: that counts as `lost`. */
  open(attempt: LinkAttempt): void | Promise<void>;
  /** Closes the current connection (logout where the protocol has one). Must settle within a few seconds. */
  close(): Promise<void>;
  backoff?: BackoffOptions;
  /** Wait after a refused login (default 5 min) or a taken slot (default 2 min); retryNow() skips it. */
  authRetryMs?: number;
  busyRetryMs?: number;
}

const DEFAULT_AUTH_RETRY_MS = 5 * 60_000;
const DEFAULT_BUSY_RETRY_MS = 2 * 60_000;

/** What a user can do about a refused login, in the desktop app and headless. */
export const RETRY_HINT = 'Retry now (tray or window) tries at once; headless, restart the bridge.';

export class LinkSupervisor {
  private linkState: LinkState = { status: 'stopped' };
  private readonly backoff: Backoff;
  private current: (LinkAttempt & { done: boolean }) | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempts = 0;
  private started = false;
  private stopping: Promise<void> | null = null;
  /** retryNow() closed a stuck attempt: its loss reconnects at once, whatever the backoff says. */
  private retryRequested = false;

  constructor(private readonly options: LinkSupervisorOptions) {
    this.backoff = new Backoff(options.backoff);
  }

  get state(): LinkState {
    return this.linkState;
  }

  get isOnline(): boolean {
    return this.linkState.status === 'online';
  }

  get isStopping(): boolean {
    return this.stopping !== null;
  }

  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    this.connect();
  }

  /** Connect again at once (the user asked, e.g. after fixing the password). */
  retryNow(): void {
    if (!this.started || this.stopping) return;
    this.backoff.reset();
    this.clearRetryTimer();
    if (this.current && !this.current.done) {
      // Close the stuck attempt; its `lost` reconnects at once.
      this.retryRequested = true;
      void this.options.close();
      return;
    }
    this.connect();
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  /** The error an action gets while the link is not online, in operator-facing words. */
  offlineError(): PbxError {
    const { pbx } = this.options;
    const state = this.linkState;
    switch (state.status) {
      case 'auth-failed':
        return new PbxError('auth-failed', state.reason);
      case 'offline':
        return new PbxError('offline', `${pbx} is offline: ${state.reason}`);
      case 'connecting':
        return new PbxError('offline', `Still connecting to ${pbx}; try again in a moment.`);
      default:
        return new PbxError('offline', `The ${pbx} profile is not running.`);
    }
  }

  private connect(): void {
    this.retryTimer = null;
    this.retryRequested = false;
    if (this.stopping) return;
    this.attempts += 1;
    const previous = this.linkState;
    const lastError =
      previous.status === 'offline' || previous.status === 'auth-failed' ? previous.reason : undefined;
    this.setLink({ status: 'connecting', attempt: this.attempts, ...(lastError ? { lastError } : {}) });
    const attempt = this.newAttempt(this.attempts);
    this.current = attempt;
    try {
      const opened = this.options.open(attempt);
      if (opened) opened.catch((error: unknown) => attempt.lost({ reason: errorText(error) }));
    } catch (error) {
      attempt.lost({ reason: errorText(error) });
    }
  }

  private newAttempt(number: number): LinkAttempt & { done: boolean } {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const supervisor = this;
    const attempt = {
      attempt: number,
      done: false,
      get stale(): boolean {
        return attempt.done || supervisor.current !== attempt || supervisor.stopping !== null;
      },
      online(detail: string): void {
        if (attempt.stale) return;
        supervisor.backoff.connected();
        supervisor.attempts = 0;
        supervisor.setLink({ status: 'online', detail });
      },
      unusable(reason: string): void {
        if (attempt.stale) return;
        supervisor.setLink({ status: 'offline', reason });
      },
      lost(loss: LinkLoss): void {
        if (attempt.done) return;
        const wasCurrent = supervisor.current === attempt;
        attempt.done = true;
        if (!wasCurrent || supervisor.stopping) return;
        supervisor.onLost(loss);
      },
    };
    return attempt;
  }

  private onLost(loss: LinkLoss): void {
    this.backoff.disconnected();
    if (this.retryRequested) {
      this.retryRequested = false;
      this.connect();
      return;
    }
    const { pbx, log } = this.options;
    if (loss.refused) {
      const delay =
        loss.refused === 'auth'
          ? (this.options.authRetryMs ?? DEFAULT_AUTH_RETRY_MS)
          : (this.options.busyRetryMs ?? DEFAULT_BUSY_RETRY_MS);
      const minutes = Math.max(1, Math.round(delay / 60_000));
      log.warn(`${pbx} refused the login; retrying only slowly`, { reason: loss.reason, retryInMs: delay });
      const reason = `${loss.reason} Next try in about ${minutes} min. ${RETRY_HINT}`;
      if (loss.refused === 'auth') this.setLink({ status: 'auth-failed', reason });
      else this.setLink({ status: 'offline', reason, retryAt: Date.now() + delay });
      this.retryTimer = setTimeout(() => this.connect(), delay);
      return;
    }
    const delay = this.backoff.nextDelay();
    log.warn(`${pbx} link down`, { reason: loss.reason, retryInMs: delay });
    this.setLink({ status: 'offline', reason: loss.reason, retryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private async shutdown(): Promise<void> {
    this.clearRetryTimer();
    if (this.current && !this.current.done) {
      try {
        await this.options.close();
      } catch (error) {
        this.options.log.warn(`${this.options.pbx} did not close cleanly`, { error: errorText(error) });
      }
    }
    if (this.current) this.current.done = true;
    if (this.linkState.status !== 'stopped' || this.started) this.setLink({ status: 'stopped' });
  }

  private clearRetryTimer(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setLink(state: LinkState): void {
    this.linkState = state;
    try {
      this.options.onLink(state);
    } catch (error) {
      this.options.log.error('link listener failed', { error: errorText(error) });
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
