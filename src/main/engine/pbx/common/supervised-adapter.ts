// What every supervised adapter does the same way: its logger and call emitter, the LinkSupervisor, start
// with the TLS warning, an idempotent stop, retryNow and the TLS warnings. A subclass holds its protocol:
// `open` (connect and log in, reporting through the attempt) and `closeConnection` (logout and close).
import type { LinkState } from '../../../../shared/bridge-types';
import type { Logger } from '../../log/logger';
import type { BackoffOptions } from '../../util/backoff';
import type { AdapterContext } from '../adapter';
import { LinkSupervisor, type LinkAttempt } from './link-supervisor';
import { callEmitter, type CallEmitter } from './safe-events';
import { tlsWarnings, type TlsProfile } from './tls-options';

export interface SupervisedAdapterSetup {
  /** The PBX's name in operator-facing words ("Basix"); also the log component, lower-cased. */
  pbx: string;
  /** Values the logger must never print (passwords, tokens). */
  secrets: string[];
  backoff?: BackoffOptions;
  authRetryMs?: number;
  busyRetryMs?: number;
}

export abstract class SupervisedAdapter<P extends TlsProfile & { id: string }> {
  protected readonly supervisor: LinkSupervisor;
  protected readonly log: Logger;
  protected readonly emit: CallEmitter;
  private stopping: Promise<void> | null = null;

  constructor(
    protected readonly profile: P,
    protected readonly ctx: AdapterContext,
    private readonly setup: SupervisedAdapterSetup,
  ) {
    this.log = ctx.log.child({ component: setup.pbx.toLowerCase(), profile: profile.id });
    for (const secret of setup.secrets) this.log.addSecret(secret);
    this.emit = callEmitter(ctx, this.log);
    this.supervisor = new LinkSupervisor({
      pbx: setup.pbx,
      log: this.log,
      onLink: (state) => ctx.events.link(state),
      open: (attempt) => this.open(attempt),
      close: () => this.closeConnection(),
      backoff: setup.backoff,
      authRetryMs: setup.authRetryMs,
      busyRetryMs: setup.busyRetryMs,
    });
  }

  get link(): LinkState {
    return this.supervisor.state;
  }

  /** True once stop() was called: actions reject, nothing reconnects. */
  protected get isStopping(): boolean {
    return this.stopping !== null;
  }

  start(): void {
    if (this.stopping) return;
    if (!this.profile.rejectUnauthorized) {
      this.log.warn(
        `TLS certificate checks are off for this ${this.setup.pbx} profile (rejectUnauthorized: false)`,
      );
    }
    this.supervisor.start();
  }

  stop(): Promise<void> {
    this.stopping ??= this.supervisor.stop();
    return this.stopping;
  }

  /** After a refused login the adapter retries only slowly; this tries again at once (the user asked). */
  retryNow(): void {
    this.supervisor.retryNow();
  }

  warnings(): string[] {
    return tlsWarnings(this.setup.pbx, this.profile);
  }

  /** Connects and logs in; reports through `attempt` (online, unusable, lost). */
  protected abstract open(attempt: LinkAttempt): void | Promise<void>;

  /** Logs out where the protocol has a logout and closes; bounded. */
  protected abstract closeConnection(): Promise<void>;
}
